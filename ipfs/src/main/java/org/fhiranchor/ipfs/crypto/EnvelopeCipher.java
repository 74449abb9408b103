package org.fhiranchor.ipfs.crypto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.CipherOutputStream;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens archive envelopes (layout in {@link EnvelopeHeader} and docs/archive.md).
 *
 * <p>Each seal draws a new data key and two new IVs, so sealing the same bundle twice gives unrelated bytes and
 * therefore unrelated CIDs: an observer of IPFS cannot tell that two uploads carry the same content.
 *
 * <p>The data key is wrapped with AES-256-GCM rather than AES-KW (RFC 3394) because GCM takes associated data:
 * the wrapped key is bound to the format version and key id it sits next to, and the code has one primitive and
 * one failure mode to test. NIST SP 800-38D allows 2^32 encryptions with random 96-bit IVs per key; one wrap
 * per archived checkpoint stays many orders of magnitude below that, and each data key is used exactly once.
 */
public final class EnvelopeCipher {
    private static final String GCM = "AES/GCM/NoPadding";

    private final KeyRing keys;
    private final SecureRandom random;

    public EnvelopeCipher(KeyRing keys) {
        this(keys, new SecureRandom());
    }

    /** For known-answer tests only: a caller-chosen source of data keys and IVs. */
    EnvelopeCipher(KeyRing keys, SecureRandom random) {
        this.keys = keys;
        this.random = random;
    }

    public byte[] seal(byte[] plaintext) {
        ByteArrayOutputStream envelope = new ByteArrayOutputStream(plaintext.length + 128);
        try (OutputStream sealing = sealing(envelope)) {
            sealing.write(plaintext);
        } catch (IOException e) {
            throw new IllegalStateException("in-memory stream failed", e);
        }
        return envelope.toByteArray();
    }

    /**
     * Seals what is written to the returned stream into {@code envelope}: the header is written at once, the
     * ciphertext as the plaintext arrives, and the GCM tag when the returned stream is closed (which also closes
     * {@code envelope}). The bytes are those {@link #seal(byte[])} gives for the same plaintext and randomness, so a
     * multi-megabyte archive is never held whole, neither as plaintext nor as ciphertext.
     */
    public OutputStream sealing(OutputStream envelope) throws IOException {
        String keyId = keys.currentKeyId();
        byte[] keyIdBytes = keyId.getBytes(StandardCharsets.UTF_8);
        byte[] dataKey = new byte[KeyRing.KEY_BYTES];
        byte[] wrapIv = new byte[EnvelopeHeader.IV_BYTES];
        byte[] payloadIv = new byte[EnvelopeHeader.IV_BYTES];
        random.nextBytes(dataKey);
        random.nextBytes(wrapIv);
        random.nextBytes(payloadIv);
        try {
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            header.writeBytes(EnvelopeHeader.MAGIC);
            header.write(EnvelopeHeader.FORMAT_VERSION);
            header.write(keyIdBytes.length);
            header.writeBytes(keyIdBytes);
            byte[] keyBinding = header.toByteArray();
            header.writeBytes(wrapIv);
            header.writeBytes(gcm(Cipher.ENCRYPT_MODE, keys.current(), wrapIv, keyBinding, dataKey));
            header.writeBytes(payloadIv);
            byte[] headerBytes = header.toByteArray();
            Cipher payload = Cipher.getInstance(GCM);
            payload.init(
                    Cipher.ENCRYPT_MODE,
                    new SecretKeySpec(dataKey, "AES"),
                    new GCMParameterSpec(EnvelopeHeader.TAG_BYTES * 8, payloadIv));
            payload.updateAAD(headerBytes);
            envelope.write(headerBytes);
            return new CipherOutputStream(envelope, payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        } finally {
            Arrays.fill(dataKey, (byte) 0); // the cipher holds its own copy of the key
        }
    }

    /**
     * @throws MalformedEnvelopeException not an envelope this code reads
     * @throws UnknownKeyIdException the key ring lacks the envelope's key id
     * @throws EnvelopeAuthenticationException altered header or ciphertext, or a different key under that id
     */
    public byte[] open(byte[] envelope) {
        EnvelopeHeader header = EnvelopeHeader.parse(envelope);
        Key archiveKey = keys.key(header.keyId());
        byte[] dataKey;
        try {
            dataKey = gcm(
                    Cipher.DECRYPT_MODE,
                    archiveKey,
                    header.wrapIv(),
                    Arrays.copyOf(envelope, header.keyBindingLength()),
                    header.wrappedKey());
        } catch (AEADBadTagException e) {
            throw new EnvelopeAuthenticationException(
                    "data key did not unwrap under archive key '" + header.keyId()
                            + "': wrong key for this id, or the envelope header was altered",
                    e);
        } catch (GeneralSecurityException e) {
            throw new EnvelopeException("key unwrap failed", e);
        }
        try {
            return gcm(
                    Cipher.DECRYPT_MODE,
                    new SecretKeySpec(dataKey, "AES"),
                    header.payloadIv(),
                    Arrays.copyOf(envelope, header.length()),
                    Arrays.copyOfRange(envelope, header.length(), envelope.length));
        } catch (AEADBadTagException e) {
            throw new EnvelopeAuthenticationException("payload failed authentication: ciphertext or header altered", e);
        } catch (GeneralSecurityException e) {
            throw new EnvelopeException("payload decryption failed", e);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    private static byte[] gcm(int mode, Key key, byte[] iv, byte[] aad, byte[] input) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(GCM);
        cipher.init(mode, key, new GCMParameterSpec(EnvelopeHeader.TAG_BYTES * 8, iv));
        cipher.updateAAD(aad);
        return cipher.doFinal(input);
    }
}
