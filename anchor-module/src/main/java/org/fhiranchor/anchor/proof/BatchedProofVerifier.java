package org.fhiranchor.anchor.proof;

import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;
import org.fhiranchor.anchor.canonical.CanonicalJson;
import org.fhiranchor.anchor.log.CheckResult;
import org.fhiranchor.anchor.log.MerkleVerifier;
import org.fhiranchor.anchor.proof.VerificationResult.Status;

/**
 * Verifies a {@code fhir-anchor-batched-proof/1} (docs/verification.md section 4.2): steps 1 to 3 of
 * section 5 on the member (content hash, identity, leaf hash); the member's inclusion in the tree whose root
 * and size the batch record states; then the batch record as an ordinary version, steps 1 to 5 with
 * {@code batchProof}. Trusts nothing it can recompute. Never throws for bad input.
 */
public final class BatchedProofVerifier {

    private BatchedProofVerifier() {}

    /** Reads the proof JSON first; a malformed proof is a {@link Status#MALFORMED_PROOF} result. */
    public static VerificationResult verify(byte[] resourceJsonOrNull, byte[] proofJson, CheckpointSource chain) {
        return ProofVerifier.readThenVerify(
                proofJson,
                BatchedProofJson::read,
                proof -> verify(resourceJsonOrNull, proof, chain),
                Function.identity());
    }

    /**
     * @param resourceJsonOrNull the member version exactly as served by {@code GET [type]/[id]/_history/[vid]}
     *                           in JSON, or null for a delete
     */
    public static VerificationResult verify(byte[] resourceJsonOrNull, BatchedProof proof, CheckpointSource chain) {
        if (proof == null || chain == null) {
            return VerificationResult.fail(Status.MALFORMED_PROOF, "no proof or no checkpoint source");
        }
        Optional<VerificationResult> leafFailure = ProofVerifier.checkLeaf(
                resourceJsonOrNull,
                proof.leaf().resource(),
                proof.leaf().operation(),
                proof.leaf().contentHash(),
                proof.leaf().salt(),
                proof.leaf().leafHash());
        if (leafFailure.isPresent()) {
            return leafFailure.get();
        }
        BatchRecord record;
        try {
            record = BatchRecord.read(proof.batchRecord());
        } catch (ProofFormatException e) {
            return VerificationResult.fail(Status.MALFORMED_PROOF, e.getMessage());
        }
        if (record.size() != proof.batchSize()) {
            return VerificationResult.fail(
                    Status.INCLUSION_FAILED,
                    "batch: the batch record states " + record.size() + " members, the proof says "
                            + proof.batchSize());
        }
        CheckResult inclusion = MerkleVerifier.verifyInclusion(
                proof.batchIndex(), proof.batchSize(), proof.leaf().leafHash(), proof.batchPath(), record.root());
        if (!inclusion.passed()) {
            return VerificationResult.fail(Status.INCLUSION_FAILED, "batch: " + inclusion.reason());
        }
        VerificationResult batch =
                ProofVerifier.verify(CanonicalJson.serialize(proof.batchRecord()), proof.batchProof(), chain);
        if (!batch.verified()) {
            return VerificationResult.fail(
                    batch.status(), "batch record " + proof.batchProof().leaf().resource() + ": " + batch.detail());
        }
        return new VerificationResult(
                Status.VERIFIED,
                proof.leaf().operation().jsonName() + " of " + proof.leaf().resource()
                        + " is member " + proof.batchIndex() + " of " + proof.batchSize() + " of the batch "
                        + proof.batchProof().leaf().resource() + " (root "
                        + HexFormat.of().formatHex(record.root()) + "), itself "
                        + batch.detail());
    }
}
