package org.fhiranchor.anchor.export;

import static org.fhiranchor.anchor.export.RecipientBox.KEY_LENGTH;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.fhiranchor.anchor.export.RecipientBox.BoxException;

/**
 * {@code fhir-anchor-box/2} (docs/research-export.md section 4.1): HPKE (RFC 9180) base mode with
 * DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and AES-256-GCM, by Bouncy Castle; one single-shot seal per file.
 *
 * <pre>
 * header = "FAB2" (4) || kid (8) || enc (32)
 * kid    = first 8 bytes of SHA-256(recipient public key)
 * info   = "fhir-anchor-box/2" || 0x00 || recipient public key (32)
 * file   = header || SealBase(pkR, info, aad = header, plaintext)     (ciphertext || 16-byte tag)
 * </pre>
 */
final class HpkeBox {

    static final String FORMAT = "fhir-anchor-box/2";
    static final byte[] MAGIC = "FAB2".getBytes(StandardCharsets.US_ASCII);
    static final int KID_LENGTH = 8;
    static final int ENC_LENGTH = 32;
    static final int TAG_LENGTH = 16;
    /** magic + kid + enc. */
    static final int HEADER_LENGTH = 4 + KID_LENGTH + ENC_LENGTH;

    static final int OVERHEAD = HEADER_LENGTH + TAG_LENGTH;
    /**
     * AES-256-GCM takes at most 2^36 - 31 bytes per message (RFC 5116); a Java array is shorter still, so the
     * array limit is the one that applies.
     */
    static final int MAX_PLAINTEXT = Integer.MAX_VALUE - OVERHEAD - 8;

    private HpkeBox() {}

    /** The suite: base mode, DHKEM(X25519, HKDF-SHA256) 0x0020, HKDF-SHA256 0x0001, AES-256-GCM 0x0002. */
    static HPKE suite() {
        return new HPKE(HPKE.mode_base, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_AES_GCM256);
    }

    /** The key id written in the header: the first 8 bytes of SHA-256 of the 32-byte public key. */
    static byte[] keyId(byte[] publicKey) {
        try {
            return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(publicKey), KID_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** HPKE {@code info}: the format name, a zero byte, the recipient's public key. */
    static byte[] info(byte[] publicKey) {
        byte[] info = new byte[FORMAT.length() + 1 + KEY_LENGTH];
        System.arraycopy(FORMAT.getBytes(StandardCharsets.US_ASCII), 0, info, 0, FORMAT.length());
        System.arraycopy(publicKey, 0, info, FORMAT.length() + 1, KEY_LENGTH);
        return info;
    }

    /**
     * Seals to a checked, canonical recipient public key. {@code ephemeralPrivate} is null (a fresh key from
     * Bouncy Castle's SecureRandom) except in known-answer tests.
     */
    static byte[] seal(byte[] plaintext, byte[] recipientPublicKey, byte[] ephemeralPrivate) {
        if (plaintext.length > MAX_PLAINTEXT) {
            throw new IllegalArgumentException("plaintext too large for one box");
        }
        HPKE hpke = suite();
        HPKEContextWithEncapsulation context;
        try {
            var pkR = hpke.deserializePublicKey(recipientPublicKey);
            context = ephemeralPrivate == null
                    ? hpke.setupBaseS(pkR, info(recipientPublicKey))
                    : hpke.setupBaseS(
                            pkR,
                            info(recipientPublicKey),
                            hpke.deserializePrivateKey(ephemeralPrivate, RecipientBox.publicKeyOf(ephemeralPrivate)));
        } catch (IllegalStateException | IllegalArgumentException e) {
            // Bouncy Castle refuses an all-zero X25519 result (RFC 9180 section 7.1.4).
            throw new IllegalArgumentException("cannot seal to this public key: the X25519 shared secret is all zero "
                    + "(small-order public key)");
        }
        byte[] header = header(keyId(recipientPublicKey), context.getEncapsulation());
        byte[] ciphertext;
        try {
            ciphertext = context.seal(header, plaintext);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("AES-256-GCM refused to seal", e);
        }
        byte[] out = Arrays.copyOf(header, HEADER_LENGTH + ciphertext.length);
        System.arraycopy(ciphertext, 0, out, HEADER_LENGTH, ciphertext.length);
        return out;
    }

    /** Opens a box/2 file (its first four bytes are "FAB2"). */
    static byte[] open(byte[] box, byte[] recipientPrivateKey) throws BoxException {
        if (box.length < OVERHEAD) {
            throw new BoxException(
                    "not a " + FORMAT + " file: " + box.length + " bytes, at least " + OVERHEAD + " needed");
        }
        byte[] publicKey = RecipientBox.publicKeyOf(recipientPrivateKey);
        byte[] kid = Arrays.copyOfRange(box, 4, 4 + KID_LENGTH);
        byte[] ownKid = keyId(publicKey);
        if (!MessageDigest.isEqual(kid, ownKid)) {
            throw new BoxException("cannot open: the file is sealed to the key with id "
                    + HexFormat.of().formatHex(kid)
                    + ", not to the public key " + RecipientBox.encodeKey(publicKey) + " (id "
                    + HexFormat.of().formatHex(ownKid)
                    + ") of this private key");
        }
        byte[] enc = Arrays.copyOfRange(box, 4 + KID_LENGTH, HEADER_LENGTH);
        byte[] header = Arrays.copyOf(box, HEADER_LENGTH);
        HPKE hpke = suite();
        HPKEContext context;
        try {
            AsymmetricCipherKeyPair recipient = hpke.deserializePrivateKey(recipientPrivateKey, publicKey);
            context = hpke.setupBaseR(enc, recipient, info(publicKey));
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new BoxException("refused: the X25519 shared secret is all zero (small-order ephemeral key)");
        }
        try {
            return context.open(header, box, HEADER_LENGTH, box.length - HEADER_LENGTH);
        } catch (InvalidCipherTextException e) {
            throw new BoxException("cannot open: authentication failed (the file was altered, or not sealed to the "
                    + "public key " + RecipientBox.encodeKey(publicKey) + " of this private key)");
        }
    }

    private static byte[] header(byte[] kid, byte[] enc) {
        if (enc.length != ENC_LENGTH) {
            throw new IllegalStateException("HPKE enc of " + enc.length + " bytes");
        }
        byte[] header = new byte[HEADER_LENGTH];
        System.arraycopy(MAGIC, 0, header, 0, 4);
        System.arraycopy(kid, 0, header, 4, KID_LENGTH);
        System.arraycopy(enc, 0, header, 4 + KID_LENGTH, ENC_LENGTH);
        return header;
    }
}
