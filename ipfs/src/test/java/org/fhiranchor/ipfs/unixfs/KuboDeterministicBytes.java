package org.fhiranchor.ipfs.unixfs;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pseudo-random content of Kubo's CID vectors, reimplemented from its description in ipfs/kubo
 * test/cli/testutils/random_deterministic.go: the ChaCha20 (RFC 8439) keystream under key SHA-256(seed),
 * an all-zero 96-bit nonce and block counter 0, truncated to {@code size} bytes.
 */
final class KuboDeterministicBytes extends InputStream {
    private final Cipher chacha;
    private long remaining;
    private byte[] buffer = new byte[0];
    private int position;

    KuboDeterministicBytes(long size, String seed) {
        try {
            byte[] key = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            chacha = Cipher.getInstance("ChaCha20");
            chacha.init(
                    Cipher.ENCRYPT_MODE,
                    new SecretKeySpec(key, "ChaCha20"),
                    new ChaCha20ParameterSpec(new byte[12], 0));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        this.remaining = size;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] out, int offset, int length) {
        if (remaining == 0) {
            return -1;
        }
        if (position == buffer.length) {
            int next = (int) Math.min(1 << 16, remaining);
            buffer = chacha.update(new byte[next]);
            position = 0;
        }
        int n = (int) Math.min(Math.min(length, buffer.length - position), remaining);
        System.arraycopy(buffer, position, out, offset, n);
        position += n;
        remaining -= n;
        return n;
    }
}
