package org.fhiranchor.anchor.proof;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.anchor.proof.VerificationResult.Status;
import org.fhiranchor.anchor.tlog.NoteFormatException;
import org.fhiranchor.anchor.tlog.NoteVerifier;
import org.fhiranchor.anchor.tlog.SignedNote;
import org.fhiranchor.anchor.tlog.TlogCheckpoint;
import org.fhiranchor.anchor.tlog.TlogProof;

/**
 * Verifies a resource version against a c2sp.org/tlog-proof@v1 (docs/verification.md section 7.5): the
 * checkpoint must carry a valid signature of the log key the verifier was given, and name that key's origin;
 * the {@code extra} line holds the leaf entry, whose claims (operation, reference, content hash, salt) are then
 * checked exactly like a {@code fhir-anchor-proof/1}, including the root anchored on chain for the checkpoint's
 * size. Never throws for bad input.
 */
public final class TlogProofVerifier {

    private TlogProofVerifier() {}

    /** Whether a file holds a tlog-proof rather than JSON. */
    public static boolean isTlogProof(byte[] file) {
        return new String(file, 0, Math.min(file.length, TlogProof.HEADER.length() + 1), StandardCharsets.UTF_8)
                .equals(TlogProof.HEADER + "\n");
    }

    public static VerificationResult verify(
            byte[] resourceJsonOrNull, byte[] tlogProof, NoteVerifier logKey, CheckpointSource chain) {
        if (tlogProof == null || logKey == null || chain == null) {
            return VerificationResult.fail(Status.MALFORMED_PROOF, "no proof, log key or checkpoint source");
        }
        TlogProof proof;
        TlogCheckpoint checkpoint;
        try {
            proof = TlogProof.parse(new String(tlogProof, StandardCharsets.UTF_8));
            checkpoint = TlogCheckpoint.parse(proof.checkpoint().text());
        } catch (NoteFormatException | RuntimeException e) {
            return VerificationResult.fail(Status.MALFORMED_PROOF, "not a valid tlog-proof: " + e.getMessage());
        }
        if (!checkpoint.origin().equals(logKey.name())) {
            return VerificationResult.fail(
                    Status.CHECKPOINT_SIGNATURE_INVALID,
                    "the checkpoint's origin " + checkpoint.origin() + " is not the log key's name " + logKey.name());
        }
        try {
            if (proof.checkpoint().verifiedBy(List.of(logKey)).isEmpty()) {
                return VerificationResult.fail(
                        Status.CHECKPOINT_SIGNATURE_INVALID,
                        "the checkpoint carries no signature by " + logKey.encoded());
            }
        } catch (SignedNote.InvalidSignatureException e) {
            return VerificationResult.fail(Status.CHECKPOINT_SIGNATURE_INVALID, e.getMessage());
        }
        if (proof.extra() == null) {
            return VerificationResult.fail(
                    Status.MALFORMED_PROOF, "the tlog-proof has no extra line with the leaf entry");
        }
        LeafEntry entry;
        try {
            entry = LeafEntry.decode(proof.extra());
        } catch (RuntimeException e) {
            return VerificationResult.fail(
                    Status.MALFORMED_PROOF, "the extra data is not a leaf entry: " + e.getMessage());
        }
        return ProofVerifier.verify(
                resourceJsonOrNull,
                entry.ref(),
                entry.operation(),
                entry.contentHash(),
                entry.salt(),
                entry.leafHash(),
                proof.index(),
                checkpoint.treeSize(),
                checkpoint.rootHash(),
                proof.path(),
                chain);
    }
}
