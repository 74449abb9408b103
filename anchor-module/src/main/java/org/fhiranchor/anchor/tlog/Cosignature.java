package org.fhiranchor.anchor.tlog;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Ed25519 witness cosignatures (c2sp.org/tlog-cosignature, type 0x04): a note signature line whose bytes
 * are {@code key ID || u64 BE timestamp || Ed25519(signed message)}, where the signed message is
 * {@code "cosignature/v1\ntime <timestamp>\n" || checkpoint text}.
 */
public final class Cosignature {

    private Cosignature() {}

    static byte[] signedMessage(long timestamp, String checkpointText) {
        return ("cosignature/v1\ntime " + Long.toUnsignedString(timestamp) + "\n" + checkpointText)
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A witness's cosignature line over {@code checkpointText} at {@code timestamp} (POSIX seconds), with a
     * witness key held by {@code signer} (its name is the witness name).
     */
    public static SignedNote.Line sign(NoteSigner signer, long timestamp, String checkpointText) {
        if (timestamp < 0) {
            throw new IllegalArgumentException("negative timestamp");
        }
        byte[] signature = signer.signBytes(signedMessage(timestamp, checkpointText));
        byte[] bytes = ByteBuffer.allocate(72).putLong(timestamp).put(signature).array();
        return new SignedNote.Line(signer.name(), cosignerKeyId(signer), bytes);
    }

    /** The cosignature verifier key ({@code <name>+<id>+base64(0x04 || key)}) of a witness key. */
    public static String verifierKey(NoteSigner signer) {
        return NoteVerifier.encode(signer.name(), NoteKeys.ALG_COSIGNATURE_V1, signer.publicKey());
    }

    public static NoteVerifier verifier(NoteSigner signer) {
        return NoteVerifier.cosignature(signer.name(), signer.publicKey());
    }

    static int cosignerKeyId(NoteSigner signer) {
        return NoteKeys.keyId(signer.name(), NoteKeys.ALG_COSIGNATURE_V1, signer.publicKey());
    }

    /** The timestamp of a cosignature line (the first 8 signature bytes). */
    public static long timestamp(SignedNote.Line line) {
        byte[] signature = line.signature();
        if (signature.length != 72) {
            throw new IllegalArgumentException("not an Ed25519 cosignature");
        }
        return ByteBuffer.wrap(signature, 0, 8).getLong();
    }
}
