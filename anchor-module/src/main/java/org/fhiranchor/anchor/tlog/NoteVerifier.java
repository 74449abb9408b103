package org.fhiranchor.anchor.tlog;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A signed-note verifier key: name, key ID and Ed25519 public key, read from and written as the verifier
 * key string {@code <name>+<8 hex digits key id>+<base64(alg || public key)>}. Algorithm {@code 0x01} is a
 * log's plain Ed25519 note signature, {@code 0x04} a witness's timestamped cosignature
 * (c2sp.org/tlog-cosignature).
 */
public final class NoteVerifier {

    private final String name;
    private final byte alg;
    private final byte[] publicKey;
    private final int keyId;
    private final PublicKey jdkKey;

    private NoteVerifier(String name, byte alg, byte[] publicKey) {
        this.name = name;
        this.alg = alg;
        this.publicKey = publicKey.clone();
        this.keyId = NoteKeys.keyId(name, alg, publicKey);
        this.jdkKey = NoteKeys.publicKey(publicKey);
    }

    static NoteVerifier ed25519(String name, byte[] publicKey) {
        return new NoteVerifier(name, NoteKeys.ALG_ED25519, publicKey);
    }

    static NoteVerifier cosignature(String name, byte[] publicKey) {
        return new NoteVerifier(name, NoteKeys.ALG_COSIGNATURE_V1, publicKey);
    }

    /** Parses a verifier key string; the key ID in it must match the name and key. */
    public static NoteVerifier parse(String verifierKey) throws NoteFormatException {
        // The base64 key may itself hold '+': split at the first two only.
        String[] parts = verifierKey.trim().split("\\+", 3);
        if (parts.length != 3 || !NoteKeys.isValidName(parts[0]) || !parts[1].matches("[0-9a-f]{8}")) {
            throw new NoteFormatException("a verifier key is <name>+<8 lowercase hex digits>+<base64 key>");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new NoteFormatException("the verifier key's key is not base64");
        }
        if (key.length != 33 || (key[0] != NoteKeys.ALG_ED25519 && key[0] != NoteKeys.ALG_COSIGNATURE_V1)) {
            throw new NoteFormatException("only Ed25519 (0x01) and cosignature/v1 (0x04) verifier keys are supported");
        }
        byte[] raw = java.util.Arrays.copyOfRange(key, 1, 33);
        NoteVerifier verifier;
        try {
            verifier = new NoteVerifier(parts[0], key[0], raw);
        } catch (IllegalArgumentException e) {
            throw new NoteFormatException("the verifier key's key is not an Ed25519 public key");
        }
        if (verifier.keyId != (int) Long.parseLong(parts[1], 16)) {
            throw new NoteFormatException("the verifier key's key ID does not match its name and key");
        }
        return verifier;
    }

    static String encode(String name, byte alg, byte[] publicKey) {
        return name + "+" + HexFormat.of().toHexDigits(NoteKeys.keyId(name, alg, publicKey)) + "+"
                + Base64.getEncoder().encodeToString(NoteKeys.concat(new byte[] {alg}, publicKey));
    }

    public String name() {
        return name;
    }

    public int keyId() {
        return keyId;
    }

    /** Whether this is a witness cosignature key (c2sp.org/tlog-cosignature) rather than a plain note key. */
    public boolean isCosignatureKey() {
        return alg == NoteKeys.ALG_COSIGNATURE_V1;
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The verifier key string. */
    public String encoded() {
        return encode(name, alg, publicKey);
    }

    /** Checks the signature bytes of a signature line (after the 4-byte key ID) over {@code text}. */
    boolean verifies(String text, byte[] signature) {
        if (alg == NoteKeys.ALG_ED25519) {
            return ed25519(text.getBytes(StandardCharsets.UTF_8), signature);
        }
        if (signature.length != 8 + 64) {
            return false;
        }
        long timestamp = java.nio.ByteBuffer.wrap(signature, 0, 8).getLong();
        return ed25519(Cosignature.signedMessage(timestamp, text), java.util.Arrays.copyOfRange(signature, 8, 72));
    }

    boolean ed25519(byte[] message, byte[] signature) {
        if (signature.length != 64) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(jdkKey);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return encoded();
    }
}
