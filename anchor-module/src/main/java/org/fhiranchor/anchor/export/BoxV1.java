package org.fhiranchor.anchor.export;

import static org.fhiranchor.anchor.export.RecipientBox.KEY_LENGTH;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.fhiranchor.anchor.export.RecipientBox.BoxException;

/**
 * The former format {@code fhir-anchor-box/1} (docs/research-export.md section 4.2), kept so that exports
 * written before {@code fhir-anchor-box/2} still open. Nothing new is sealed with it; {@link #seal} stays
 * for the known-answer vector only.
 *
 * <pre>
 * file   = "FAB1" || epk (32) || nonce (12) || AES-256-GCM ciphertext || tag (16)
 * shared = X25519(ephemeral private, recipient public)     (refused if all zero)
 * key    = HKDF-SHA256(IKM = shared, salt = epk || recipient public, info = "fhir-anchor-box/1", L = 32)
 * AAD    = "FAB1" || epk
 * </pre>
 */
final class BoxV1 {

    static final String FORMAT = "fhir-anchor-box/1";
    static final byte[] MAGIC = "FAB1".getBytes(StandardCharsets.US_ASCII);
    static final int NONCE_LENGTH = 12;
    static final int TAG_LENGTH = 16;
    /** magic + epk + nonce. */
    static final int HEADER_LENGTH = 4 + KEY_LENGTH + NONCE_LENGTH;

    static final int OVERHEAD = HEADER_LENGTH + TAG_LENGTH;

    private static final byte[] INFO = FORMAT.getBytes(StandardCharsets.US_ASCII);

    private BoxV1() {}

    /** Known-answer vector only: seals with the given ephemeral key and nonce. */
    static byte[] seal(byte[] plaintext, byte[] recipientPublicKey, byte[] ephemeralPrivate, byte[] nonce)
            throws BoxException {
        byte[] epk = RecipientBox.publicKeyOf(ephemeralPrivate);
        byte[] shared = RecipientBox.x25519(ephemeralPrivate, recipientPublicKey);
        byte[] out = new byte[OVERHEAD + plaintext.length];
        System.arraycopy(MAGIC, 0, out, 0, 4);
        System.arraycopy(epk, 0, out, 4, KEY_LENGTH);
        System.arraycopy(nonce, 0, out, 4 + KEY_LENGTH, NONCE_LENGTH);
        try {
            cipher(Cipher.ENCRYPT_MODE, shared, epk, recipientPublicKey, nonce)
                    .doFinal(plaintext, 0, plaintext.length, out, HEADER_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM unavailable in this JDK", e);
        } finally {
            Arrays.fill(shared, (byte) 0);
        }
        return out;
    }

    /** Opens a box/1 file (its first four bytes are "FAB1"). */
    static byte[] open(byte[] box, byte[] recipientPrivateKey) throws BoxException {
        if (box.length < OVERHEAD) {
            throw new BoxException(
                    "not a " + FORMAT + " file: " + box.length + " bytes, at least " + OVERHEAD + " needed");
        }
        byte[] epk = Arrays.copyOfRange(box, 4, 4 + KEY_LENGTH);
        byte[] nonce = Arrays.copyOfRange(box, 4 + KEY_LENGTH, HEADER_LENGTH);
        byte[] recipientPublicKey = RecipientBox.publicKeyOf(recipientPrivateKey);
        byte[] shared = RecipientBox.x25519(recipientPrivateKey, epk);
        try {
            return cipher(Cipher.DECRYPT_MODE, shared, epk, recipientPublicKey, nonce)
                    .doFinal(box, HEADER_LENGTH, box.length - HEADER_LENGTH);
        } catch (AEADBadTagException e) {
            throw new BoxException("cannot open: authentication failed (the file was not sealed to the public key "
                    + RecipientBox.encodeKey(recipientPublicKey) + " of this private key, or it was altered)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM unavailable in this JDK", e);
        } finally {
            Arrays.fill(shared, (byte) 0);
        }
    }

    private static Cipher cipher(int mode, byte[] shared, byte[] epk, byte[] recipientPublicKey, byte[] nonce)
            throws GeneralSecurityException {
        byte[] key = key(shared, epk, recipientPublicKey);
        byte[] aad = new byte[4 + KEY_LENGTH];
        System.arraycopy(MAGIC, 0, aad, 0, 4);
        System.arraycopy(epk, 0, aad, 4, KEY_LENGTH);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(8 * TAG_LENGTH, nonce));
        cipher.updateAAD(aad);
        Arrays.fill(key, (byte) 0);
        return cipher;
    }

    /** The AES key: HKDF-SHA256 (RFC 5869, Bouncy Castle's) of the shared secret. */
    static byte[] key(byte[] shared, byte[] epk, byte[] recipientPublicKey) {
        byte[] salt = new byte[2 * KEY_LENGTH];
        System.arraycopy(epk, 0, salt, 0, KEY_LENGTH);
        System.arraycopy(recipientPublicKey, 0, salt, KEY_LENGTH, KEY_LENGTH);
        return hkdfSha256(shared, salt, INFO, 32);
    }

    /** RFC 5869 HKDF-SHA256 (extract, then expand to {@code length} bytes) by Bouncy Castle. */
    static byte[] hkdfSha256(byte[] ikm, byte[] salt, byte[] info, int length) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(ikm, salt, info));
        byte[] out = new byte[length];
        hkdf.generateBytes(out, 0, length);
        return out;
    }
}
