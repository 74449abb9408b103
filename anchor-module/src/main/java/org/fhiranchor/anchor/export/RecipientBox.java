package org.fhiranchor.anchor.export;

import java.math.BigInteger;
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
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.KeyAgreement;

/**
 * Research-export files sealed to one X25519 public key (docs/research-export.md section 4). New files are
 * {@code fhir-anchor-box/2}: HPKE (RFC 9180) base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM,
 * by Bouncy Castle ({@link HpkeBox}). Files of the former {@code fhir-anchor-box/1} ({@link BoxV1}) still open:
 * {@link #open} reads the version from the file's first four bytes.
 *
 * Keys are the RFC 7748 byte strings: a public key is the 32-byte little-endian u-coordinate, a private
 * key the 32-byte scalar (clamped when used, as RFC 7748 says). Their text form is base64url without
 * padding (43 characters). Only canonical public keys are accepted: the top bit clear and u below
 * 2^255 - 19, so that one key has one spelling (the recipient key is also bound into the HPKE info).
 */
public final class RecipientBox {

    /** The format {@link #seal} writes. */
    public static final String FORMAT = HpkeBox.FORMAT;
    /** The former format, still read by {@link #open}. */
    public static final String FORMAT_V1 = BoxV1.FORMAT;

    public static final int KEY_LENGTH = 32;
    /** Bytes a sealed ({@link #FORMAT}) file has beyond its plaintext. */
    public static final int OVERHEAD = HpkeBox.OVERHEAD;

    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    private static final byte[] BASE_POINT = basePoint();
    private static final Pattern KEY_TEXT = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] fixedEphemeralPrivate;

    /** Seals with a new random ephemeral key per file. */
    public RecipientBox() {
        this.fixedEphemeralPrivate = null;
    }

    /** Known-answer tests only: the same ephemeral key every time (never do this for real). */
    RecipientBox(byte[] ephemeralPrivate) {
        this.fixedEphemeralPrivate =
                length(ephemeralPrivate, KEY_LENGTH, "ephemeral private key").clone();
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
            throw new IllegalArgumentException(
                    what + " is not in canonical base64url (the last character's unused bits must be zero)");
        }
        return key;
    }

    private static void checkPublicKey(byte[] key) {
        length(key, KEY_LENGTH, "public key");
        if ((key[KEY_LENGTH - 1] & 0x80) != 0) {
            throw new IllegalArgumentException("public key has its top bit set: not a canonical X25519 u-coordinate");
        }
        if (littleEndian(key).compareTo(P) >= 0) {
            throw new IllegalArgumentException(
                    "public key is not below 2^255 - 19: not a canonical X25519 u-coordinate");
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
            PrivateKey privateKey =
                    factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar.clone()));
            PublicKey publicKey =
                    factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, littleEndian(masked)));
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

    /** Seals {@code plaintext} to {@code recipientPublicKey} as {@link #FORMAT}; {@link #OVERHEAD} bytes longer. */
    public byte[] seal(byte[] plaintext, byte[] recipientPublicKey) {
        Objects.requireNonNull(plaintext, "plaintext");
        checkPublicKey(recipientPublicKey);
        return HpkeBox.seal(plaintext, recipientPublicKey, fixedEphemeralPrivate);
    }

    /**
     * Opens a sealed file with the recipient's private key and returns the plaintext; the version comes
     * from the file's first four bytes: "FAB2" ({@code fhir-anchor-box/2}) or "FAB1" ({@code fhir-anchor-box/1}).
     */
    public static byte[] open(byte[] box, byte[] recipientPrivateKey) throws BoxException {
        Objects.requireNonNull(box, "box");
        length(recipientPrivateKey, KEY_LENGTH, "private key");
        if (box.length >= 4 && Arrays.equals(box, 0, 4, HpkeBox.MAGIC, 0, 4)) {
            return HpkeBox.open(box, recipientPrivateKey);
        }
        if (box.length >= 4 && Arrays.equals(box, 0, 4, BoxV1.MAGIC, 0, 4)) {
            return BoxV1.open(box, recipientPrivateKey);
        }
        throw new BoxException(
                "not a " + FORMAT + " (or " + FORMAT_V1 + ") file: it starts with neither \"FAB2\" nor \"FAB1\"");
    }

    /** SHA-256 of bytes, lowercase hex: how the manifest names files' contents. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
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

    private static byte[] length(byte[] bytes, int length, String what) {
        if (bytes == null || bytes.length != length) {
            throw new IllegalArgumentException(what + " must be " + length + " bytes");
        }
        return bytes;
    }
}
