package org.fhiranchor.ipfs.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The clear-text front of an envelope (format version 1):
 *
 * <pre>
 * offset     size  field
 * 0          4     magic "FAAE" (0x46 0x41 0x41 0x45)
 * 4          1     format version = 0x01
 * 5          1     L = key id length in bytes (1..255)
 * 6          L     key id, UTF-8
 * 6+L        12    wrap IV (random)
 * 18+L       48    wrapped data key: AES-256-GCM(archive key, wrap IV, data key, AAD = bytes 0..6+L) = 32 + 16 tag
 * 66+L       12    payload IV (random)
 * 78+L       n+16  payload: AES-256-GCM(data key, payload IV, plaintext, AAD = bytes 0..78+L) with the tag last
 * </pre>
 *
 * The key id is readable without any key, so an operator can tell which archive key a bundle needs.
 * {@code length} is the header length in bytes (78 + L), i.e. where the payload starts.
 */
public record EnvelopeHeader(String keyId, byte[] wrapIv, byte[] wrappedKey, byte[] payloadIv, int length) {
    static final byte[] MAGIC = {'F', 'A', 'A', 'E'};
    static final int FORMAT_VERSION = 1;
    static final int IV_BYTES = 12;
    static final int TAG_BYTES = 16;
    static final int WRAPPED_KEY_BYTES = KeyRing.KEY_BYTES + TAG_BYTES;

    public EnvelopeHeader {
        wrapIv = wrapIv.clone();
        wrappedKey = wrappedKey.clone();
        payloadIv = payloadIv.clone();
    }

    @Override
    public byte[] wrapIv() {
        return wrapIv.clone();
    }

    @Override
    public byte[] wrappedKey() {
        return wrappedKey.clone();
    }

    @Override
    public byte[] payloadIv() {
        return payloadIv.clone();
    }

    /** Bytes 0 .. 6+L: what the wrapped key is bound to. */
    int keyBindingLength() {
        return 6 + keyId.getBytes(StandardCharsets.UTF_8).length;
    }

    public static EnvelopeHeader parse(byte[] envelope) {
        if (envelope.length < 6 || !Arrays.equals(Arrays.copyOf(envelope, 4), MAGIC)) {
            throw new MalformedEnvelopeException("not an archive envelope (bad magic)");
        }
        if (envelope[4] != FORMAT_VERSION) {
            throw new MalformedEnvelopeException("unsupported envelope format version " + (envelope[4] & 0xff));
        }
        int keyIdLength = envelope[5] & 0xff;
        int length = 6 + keyIdLength + IV_BYTES + WRAPPED_KEY_BYTES + IV_BYTES;
        if (keyIdLength == 0 || envelope.length < length + TAG_BYTES) {
            throw new MalformedEnvelopeException("envelope truncated or empty key id");
        }
        int offset = 6;
        String keyId = new String(envelope, offset, keyIdLength, StandardCharsets.UTF_8);
        offset += keyIdLength;
        byte[] wrapIv = Arrays.copyOfRange(envelope, offset, offset += IV_BYTES);
        byte[] wrappedKey = Arrays.copyOfRange(envelope, offset, offset += WRAPPED_KEY_BYTES);
        byte[] payloadIv = Arrays.copyOfRange(envelope, offset, offset += IV_BYTES);
        return new EnvelopeHeader(keyId, wrapIv, wrappedKey, payloadIv, length);
    }
}
