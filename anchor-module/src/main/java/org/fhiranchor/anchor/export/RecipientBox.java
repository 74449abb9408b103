package org.fhiranchor.anchor.export;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code fhir-anchor-box/1} (docs/research-export.md section 4): a file sealed to one X25519 public key
 * with a fresh ephemeral key pair.
 *
 * <pre>
 * file   = "FAB1" || epk (32) || nonce (12) || AES-256-GCM ciphertext || tag (16)
 * shared = X25519(ephemeral private, recipient public)     (refused if all zero)
 * key    = HKDF-SHA256(IKM = shared, salt = epk || recipient public, info = "fhir-anchor-box/1", L = 32)
 * AAD    = "FAB1" || epk
 * </pre>
 *
 * Keys are the RFC 7748 byte strings: a public key is the 32-byte little-endian u-coordinate, a private
 * key the 32-byte scalar (clamped when used, as RFC 7748 says). Their text form is base64url without
 * padding (43 characters). Only canonical public keys are accepted: the top bit clear and u below
 * 2^255 - 19, so that one key has one spelling (the recipient key is also an HKDF input).
 */
public final class RecipientBox {

    public static final String FORMAT = "fhir-anchor-box/1";
    public static final int KEY_LENGTH = 32;
    public static final int NONCE_LENGTH = 12;
    public static final int TAG_LENGTH = 16;
    /** magic + epk + nonce. */
    public static final int HEADER_LENGTH = 4 + KEY_LENGTH + NONCE_LENGTH;
    /** Bytes a sealed file has beyond its plaintext. */
    public static final int OVERHEAD = HEADER_LENGTH + TAG_LENGTH;

    private static final byte[] MAGIC = "FAB1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INFO = FORMAT.getBytes(StandardCharsets.US_ASCII);
    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    private static final byte[] BASE_POINT = basePoint();
    private static final Pattern KEY_TEXT = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] fixedEphemeralPrivate;
    private final byte[] fixedNonce;

    /** Seals with a new random ephemeral key and nonce per file. */
    public RecipientBox() {
        this.fixedEphemeralPrivate = null;
        this.fixedNonce = null;
    }

    /** Known-answer tests only: the same ephemeral key and nonce every time (never do this for real). */
    RecipientBox(byte[] ephemeralPrivate, byte[] nonce) {
        this.fixedEphemeralPrivate = length(ephemeralPrivate, KEY_LENGTH, "ephemeral private key").clone();
        this.fixedNonce = length(nonce, NONCE_LENGTH, "nonce").clone();
    }

    /** A recipient's key pair: 32-byte private scalar and its 32-byte public key. */
    public record KeyPair(byte[] privateKey, byte[] publicKey) {
        public KeyPair {
            privateKey = length(privateKey, KEY_LENGTH, "private key").clone();
            publicKey = length(publicKey, KEY_LENGTH, "public key").clone();
        }

        @Override
        public byte[] privateKey() {
            return privateKey.clone();
        }

        @Override
        public byte[] publicKey() {
            return publicKey.clone();
        }

        public String privateKeyText() {
            return encodeKey(privateKey);
        }

        public String publicKeyText() {
            return encodeKey(publicKey);
        }

        @Override
        public String toString() {
            return "KeyPair[publicKey=" + publicKeyText() + "]"; // never the private key
        }
    }

    /** Opening failed: not a box, altered, or not sealed to this key. The message says which. */
    public static final class BoxException extends Exception {
        private static final long serialVersionUID = 1L;

        public BoxException(String message) {
            super(message);
        }
    }

    // ---- keys ----------------------------------------------------------------------------------

    public static KeyPair generateKeyPair() {
        byte[] scalar = new byte[KEY_LENGTH];
        RANDOM.nextBytes(scalar);
        return new KeyPair(scalar, publicKeyOf(scalar));
    }

    /** X25519(scalar, 9): the public key of a private key. */
    public static byte[] publicKeyOf(byte[] privateKey) {
        try {
            return x25519(privateKey, BASE_POINT);
        } catch (BoxException e) {
            throw new IllegalStateException("the base point never gives a zero secret", e);
        }
    }

    /** Base64url without padding of a 32-byte key. */
    public static String encodeKey(byte[] key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(length(key, KEY_LENGTH, "key"));
    }

    /** Parses a public key's text; throws IllegalArgumentException with the reason if it is not one. */
    public static byte[] decodePublicKey(String text) {
        byte[] key = decodeKey(text, "public key");
        checkPublicKey(key);
        return key;
    }

    /** Parses a private key's text (surrounding whitespace, such as a file's final newline, is ignored). */
    public static byte[] decodePrivateKey(String text) {
        return decodeKey(text == null ? null : text.strip(), "private key");
    }

    private static byte[] decodeKey(String text, String what) {
        if (text == null || !KEY_TEXT.matcher(text).matches()) {
            throw new IllegalArgumentException(what + " must be 43 characters of base64url without padding (32 bytes)");
        }
        byte[] key = Base64.getUrlDecoder().decode(text);
        if (!encodeKey(key).equals(text)) {
            throw new IllegalArgumentException(what + " is not in canonical base64url (the last character's unused bits must be zero)");
        }
        return key;
    }

    private static void checkPublicKey(byte[] key) {
        length(key, KEY_LENGTH, "public key");
        if ((key[KEY_LENGTH - 1] & 0x80) != 0) {
            throw new IllegalArgumentException("public key has its top bit set: not a canonical X25519 u-coordinate");
        }
        if (littleEndian(key).compareTo(P) >= 0) {
            throw new IllegalArgumentException("public key is not below 2^255 - 19: not a canonical X25519 u-coordinate");
        }
    }

    /**
     * The RFC 7748 X25519 function on byte strings: scalar (clamped by the function) times the point with
     * u-coordinate {@code u}. Throws BoxException for an all-zero result (a small-order point).
     */
    public static byte[] x25519(byte[] scalar, byte[] u) throws BoxException {
        length(scalar, KEY_LENGTH, "scalar");
        length(u, KEY_LENGTH, "u-coordinate");
        byte[] masked = u.clone();
        masked[KEY_LENGTH - 1] &= 0x7f; // RFC 7748 section 5: mask the top bit of a received u
        byte[] secret;
        try {
            KeyFactory factory = KeyFactory.getInstance("XDH");
            PrivateKey privateKey = factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar.clone()));
            PublicKey publicKey = factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, littleEndian(masked)));
            KeyAgreement agreement = KeyAgreement.getInstance("XDH");
            agreement.init(privateKey);
            agreement.doPhase(publicKey, true);
            secret = agreement.generateSecret();
        } catch (InvalidKeyException e) {
            // The JDK refuses a small-order point itself ("Point has small order").
            throw new BoxException("refused: the X25519 shared secret is all zero (small-order public key)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 unavailable in this JDK", e);
        }
        if (isZero(secret)) {
            throw new BoxException("refused: the X25519 shared secret is all zero (small-order public key)");
        }
        return secret;
    }

    // ---- seal and open -------------------------------------------------------------------------

    /** Seals {@code plaintext} to {@code recipientPublicKey}; the result is {@link #OVERHEAD} bytes longer. */
    public byte[] seal(byte[] plaintext, byte[] recipientPublicKey) {
        Objects.requireNonNull(plaintext, "plaintext");
        checkPublicKey(recipientPublicKey);
        if (plaintext.length > Integer.MAX_VALUE - OVERHEAD - 8) {
            throw new IllegalArgumentException("plaintext too large for one box");
        }
        byte[] ephemeralPrivate = fixedEphemeralPrivate != null ? fixedEphemeralPrivate.clone() : random(KEY_LENGTH);
        byte[] nonce = fixedNonce != null ? fixedNonce.clone() : random(NONCE_LENGTH);
        byte[] epk = publicKeyOf(ephemeralPrivate);
        byte[] shared;
        try {
            shared = x25519(ephemeralPrivate, recipientPublicKey);
        } catch (BoxException e) {
            throw new IllegalArgumentException("cannot seal to this public key: " + e.getMessage());
        }
        byte[] out = new byte[OVERHEAD + plaintext.length];
        System.arraycopy(MAGIC, 0, out, 0, 4);
        System.arraycopy(epk, 0, out, 4, KEY_LENGTH);
        System.arraycopy(nonce, 0, out, 4 + KEY_LENGTH, NONCE_LENGTH);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, shared, epk, recipientPublicKey, nonce);
            int written = cipher.doFinal(plaintext, 0, plaintext.length, out, HEADER_LENGTH);
            if (written != plaintext.length + TAG_LENGTH) {
                throw new IllegalStateException("AES-GCM wrote " + written + " bytes");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM unavailable in this JDK", e);
        } finally {
            Arrays.fill(shared, (byte) 0);
            Arrays.fill(ephemeralPrivate, (byte) 0);
        }
        return out;
    }

    /** Opens a sealed file with the recipient's private key; returns the plaintext. */
    public static byte[] open(byte[] box, byte[] recipientPrivateKey) throws BoxException {
        Objects.requireNonNull(box, "box");
        length(recipientPrivateKey, KEY_LENGTH, "private key");
        if (box.length < OVERHEAD) {
            throw new BoxException("not a " + FORMAT + " file: " + box.length + " bytes, at least " + OVERHEAD + " needed");
        }
        if (!Arrays.equals(box, 0, 4, MAGIC, 0, 4)) {
            throw new BoxException("not a " + FORMAT + " file: it does not start with \"FAB1\"");
        }
        byte[] epk = Arrays.copyOfRange(box, 4, 4 + KEY_LENGTH);
        byte[] nonce = Arrays.copyOfRange(box, 4 + KEY_LENGTH, HEADER_LENGTH);
        byte[] recipientPublicKey = publicKeyOf(recipientPrivateKey);
        byte[] shared = x25519(recipientPrivateKey, epk);
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, shared, epk, recipientPublicKey, nonce);
            return cipher.doFinal(box, HEADER_LENGTH, box.length - HEADER_LENGTH);
        } catch (AEADBadTagException e) {
            throw new BoxException("cannot open: authentication failed (the file was not sealed to the public key "
                    + encodeKey(recipientPublicKey) + " of this private key, or it was altered)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM unavailable in this JDK", e);
        } finally {
            Arrays.fill(shared, (byte) 0);
        }
    }

    private static Cipher cipher(int mode, byte[] shared, byte[] epk, byte[] recipientPublicKey, byte[] nonce)
            throws GeneralSecurityException {
        byte[] salt = new byte[2 * KEY_LENGTH];
        System.arraycopy(epk, 0, salt, 0, KEY_LENGTH);
        System.arraycopy(recipientPublicKey, 0, salt, KEY_LENGTH, KEY_LENGTH);
        byte[] key = hkdfSha256(shared, salt, INFO, 32);
        byte[] aad = new byte[4 + KEY_LENGTH];
        System.arraycopy(MAGIC, 0, aad, 0, 4);
        System.arraycopy(epk, 0, aad, 4, KEY_LENGTH);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(8 * TAG_LENGTH, nonce));
        cipher.updateAAD(aad);
        Arrays.fill(key, (byte) 0);
        return cipher;
    }

    /** RFC 5869 HKDF with HMAC-SHA256: extract, then expand to {@code length} bytes (at most 255 * 32). */
    static byte[] hkdfSha256(byte[] ikm, byte[] salt, byte[] info, int length) {
        if (length < 0 || length > 255 * 32) {
            throw new IllegalArgumentException("HKDF-SHA256 output length must be 0..8160");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            // An absent salt is HashLen zero bytes (RFC 5869 section 2.2).
            mac.init(new SecretKeySpec(salt == null || salt.length == 0 ? new byte[32] : salt, "HmacSHA256"));
            byte[] prk = mac.doFinal(ikm);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            byte[] out = new byte[length];
            byte[] t = new byte[0];
            int done = 0;
            for (int i = 1; done < length; i++) {
                mac.update(t);
                mac.update(info);
                mac.update((byte) i);
                t = mac.doFinal();
                int n = Math.min(t.length, length - done);
                System.arraycopy(t, 0, out, done, n);
                done += n;
            }
            Arrays.fill(prk, (byte) 0);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable in this JDK", e);
        }
    }

    /** SHA-256 of bytes, lowercase hex: how the manifest names files' contents. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    // ---- bytes ---------------------------------------------------------------------------------

    private static BigInteger littleEndian(byte[] bytes) {
        byte[] bigEndian = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            bigEndian[i] = bytes[bytes.length - 1 - i];
        }
        return new BigInteger(1, bigEndian);
    }

    private static byte[] basePoint() {
        byte[] u = new byte[KEY_LENGTH];
        u[0] = 9;
        return u;
    }

    private static boolean isZero(byte[] bytes) {
        int acc = 0;
        for (byte b : bytes) {
            acc |= b;
        }
        return acc == 0;
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static byte[] length(byte[] bytes, int length, String what) {
        if (bytes == null || bytes.length != length) {
            throw new IllegalArgumentException(what + " must be " + length + " bytes");
        }
        return bytes;
    }
}
