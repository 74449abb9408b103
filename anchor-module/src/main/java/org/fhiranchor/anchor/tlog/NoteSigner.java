package org.fhiranchor.anchor.tlog;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Objects;

/**
 * An Ed25519 signed-note signer (c2sp.org/signed-note, algorithm 0x01): a key name (for a log, its
 * checkpoint origin) and a private key. The key never appears in {@link #toString()}.
 */
public final class NoteSigner {

    private final String name;
    private final PrivateKey privateKey;
    private final byte[] publicKey;
    private final int keyId;

    private NoteSigner(String name, byte[] seed) {
        if (!NoteKeys.isValidName(name)) {
            throw new IllegalArgumentException("a note key name must be non-empty, without spaces or '+'");
        }
        this.name = name;
        this.privateKey = NoteKeys.privateKey(seed);
        this.publicKey = derivePublicKey(seed);
        this.keyId = NoteKeys.keyId(name, NoteKeys.ALG_ED25519, publicKey);
    }

    /** The signer with this 32-byte Ed25519 private key (RFC 8032 seed). */
    public static NoteSigner fromSeed(String name, byte[] seed) {
        return new NoteSigner(name, seed.clone());
    }

    /** A fresh random 32-byte Ed25519 seed. */
    public static byte[] generateSeed() {
        try {
            return NoteKeys.seed(
                    KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has Ed25519", e);
        }
    }

    public String name() {
        return name;
    }

    public int keyId() {
        return keyId;
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The public verifier key, {@code <name>+<key id hex>+<base64(0x01 || public key)>}, as Go's note package reads it. */
    public String verifierKey() {
        return NoteVerifier.encode(name, NoteKeys.ALG_ED25519, publicKey);
    }

    public NoteVerifier verifier() {
        return NoteVerifier.ed25519(name, publicKey);
    }

    /** The note {@code text} (which must end in a newline) with this key's signature line appended. */
    public String sign(String text) {
        SignedNote.checkText(text);
        byte[] signature = signBytes(text.getBytes(StandardCharsets.UTF_8));
        return text + "\n" + SignedNote.signatureLine(name, NoteKeys.concat(NoteKeys.intBytes(keyId), signature));
    }

    /** The raw 64-byte Ed25519 signature of {@code message}. */
    byte[] signBytes(byte[] message) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(privateKey);
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    private static byte[] derivePublicKey(byte[] seed) {
        // The JDK derives the public key only while generating a pair: feed it the seed as its randomness.
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(255, new FixedRandom(seed));
            return NoteKeys.rawPublicKey(generator.generateKeyPair().getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has Ed25519", e);
        }
    }

    /** The base64 of {@code 0x01 || seed}, as Go's {@code PRIVATE+KEY+name+hash+...} strings hold it; for tests only. */
    static String encodeSeed(byte[] seed) {
        return Base64.getEncoder().encodeToString(NoteKeys.concat(new byte[] {NoteKeys.ALG_ED25519}, seed));
    }

    @Override
    public String toString() {
        return "NoteSigner[" + name + "+" + String.format("%08x", keyId) + "]";
    }

    /** A SecureRandom that returns the given bytes: how a seed becomes a JDK Ed25519 key pair. */
    private static final class FixedRandom extends java.security.SecureRandom {
        private final byte[] bytes;

        FixedRandom(byte[] bytes) {
            this.bytes = Objects.requireNonNull(bytes);
        }

        @Override
        public void nextBytes(byte[] out) {
            if (out.length != bytes.length) {
                throw new IllegalStateException("unexpected request for " + out.length + " random bytes");
            }
            System.arraycopy(bytes, 0, out, 0, out.length);
        }
    }
}
