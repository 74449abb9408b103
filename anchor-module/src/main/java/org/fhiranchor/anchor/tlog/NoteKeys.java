package org.fhiranchor.anchor.tlog;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import org.fhiranchor.anchor.log.MerkleHash;

/**
 * Ed25519 key helpers shared by note signers and verifiers: raw 32-byte keys to JDK keys and back, and
 * the signed-note key ID {@code SHA-256(name || 0x0A || alg || publicKey)[:4]}.
 */
final class NoteKeys {

    /** Signature type byte of a plain Ed25519 note signature (c2sp.org/signed-note). */
    static final byte ALG_ED25519 = 0x01;
    /** Signature type byte of a timestamped witness cosignature (c2sp.org/tlog-cosignature). */
    static final byte ALG_COSIGNATURE_V1 = 0x04;

    private static final byte[] X509_PREFIX = hex("302a300506032b6570032100");
    private static final byte[] PKCS8_PREFIX = hex("302e020100300506032b657004220420");

    private NoteKeys() {}

    static boolean isValidName(String name) {
        if (name == null || name.isEmpty() || name.contains("+")) {
            return false;
        }
        return name.codePoints().noneMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c) || c < 0x20);
    }

    static int keyId(String name, byte alg, byte[] publicKey) {
        byte[] hash = MerkleHash.sha256(name.getBytes(StandardCharsets.UTF_8), new byte[] {'\n', alg}, publicKey);
        return ((hash[0] & 0xff) << 24) | ((hash[1] & 0xff) << 16) | ((hash[2] & 0xff) << 8) | (hash[3] & 0xff);
    }

    static PublicKey publicKey(byte[] raw) {
        if (raw.length != 32) {
            throw new IllegalArgumentException("an Ed25519 public key is 32 bytes");
        }
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, raw)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    static PrivateKey privateKey(byte[] seed) {
        if (seed.length != 32) {
            throw new IllegalArgumentException("an Ed25519 private key seed is 32 bytes");
        }
        try {
            return KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, seed)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 private key", e);
        }
    }

    static byte[] rawPublicKey(PublicKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded.length != X509_PREFIX.length + 32
                || !Arrays.equals(Arrays.copyOf(encoded, X509_PREFIX.length), X509_PREFIX)) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
        return Arrays.copyOfRange(encoded, X509_PREFIX.length, encoded.length);
    }

    static byte[] seed(PrivateKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded.length != PKCS8_PREFIX.length + 32
                || !Arrays.equals(Arrays.copyOf(encoded, PKCS8_PREFIX.length), PKCS8_PREFIX)) {
            throw new IllegalArgumentException("not an Ed25519 private key in PKCS#8 v1 form");
        }
        return Arrays.copyOfRange(encoded, PKCS8_PREFIX.length, encoded.length);
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    static byte[] intBytes(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    private static byte[] hex(String hex) {
        return java.util.HexFormat.of().parseHex(hex);
    }
}
