package org.fhiranchor.anchor.proof;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.fhiranchor.anchor.log.CheckResult;
import org.fhiranchor.anchor.log.MultiInclusionProof;
import org.fhiranchor.anchor.log.ResourceRef;
import org.fhiranchor.anchor.proof.VerificationResult.Status;

/**
 * Verifies a {@code fhir-anchor-multiproof/1} (docs/verification.md section 4.1): for every version, steps
 * 1 to 3 of section 5 on the bytes the verifier holds (content hash, identity, leaf hash); then one
 * multi-leaf inclusion of all leaf hashes in the tree head; then one read of the anchored root from the
 * chain. Trusts nothing it can recompute. Never throws for bad input.
 */
public final class MultiProofVerifier {

    private MultiProofVerifier() {}

    /** The verdict on each version, in the proof's order (by leaf index); verified only if every version is. */
    public record Result(List<VersionResult> versions, VerificationResult overall) {

        public boolean verified() {
            return overall.verified();
        }
    }

    /** One version's verdict. */
    public record VersionResult(ResourceRef resource, VerificationResult result) {}

    /** Reads the proof JSON first; a malformed proof is a {@link Status#MALFORMED_PROOF} result with no versions. */
    public static Result verify(
            byte[] proofJson, Function<ResourceRef, byte[]> resourceJsonOrNull, CheckpointSource chain) {
        return ProofVerifier.readThenVerify(
                proofJson,
                MultiProofJson::read,
                proof -> verify(proof, resourceJsonOrNull, chain),
                malformed -> new Result(List.of(), malformed));
    }

    /**
     * @param resourceJsonOrNull for each version of the proof, its bytes exactly as served by
     *                           {@code GET [type]/[id]/_history/[vid]} in JSON, or null for a delete
     */
    public static Result verify(
            MultiProof proof, Function<ResourceRef, byte[]> resourceJsonOrNull, CheckpointSource chain) {
        if (proof == null || resourceJsonOrNull == null || chain == null) {
            return new Result(
                    List.of(),
                    VerificationResult.fail(Status.MALFORMED_PROOF, "no proof, resources or checkpoint source"));
        }
        // Steps 1 to 3 for each version.
        List<Optional<VerificationResult>> leafFailures = new ArrayList<>();
        Map<Long, byte[]> leaves = new LinkedHashMap<>();
        for (MultiProof.Version version : proof.versions()) {
            byte[] bytes;
            try {
                bytes = resourceJsonOrNull.apply(version.leaf().resource());
            } catch (RuntimeException e) {
                bytes = null;
            }
            leafFailures.add(ProofVerifier.checkLeaf(
                    bytes,
                    version.leaf().resource(),
                    version.leaf().operation(),
                    version.leaf().contentHash(),
                    version.leaf().salt(),
                    version.leaf().leafHash()));
            leaves.put(version.leafIndex(), version.leaf().leafHash());
        }
        // Step 4, once: every leaf hash (recomputed where step 3 passed) in the tree head.
        Optional<VerificationResult> shared = Optional.empty();
        CheckResult inclusion = MultiInclusionProof.verify(proof.treeSize(), leaves, proof.hashes(), proof.rootHash());
        if (!inclusion.passed()) {
            shared = Optional.of(VerificationResult.fail(Status.INCLUSION_FAILED, inclusion.reason()));
        }
        // Step 5, once: the tree head is the one anchored on chain for its size.
        if (shared.isEmpty()) {
            shared = ProofVerifier.checkAnchoredRoot(proof.treeSize(), proof.rootHash(), chain);
        }
        List<VersionResult> results = new ArrayList<>();
        VerificationResult overall = null;
        for (int i = 0; i < proof.versions().size(); i++) {
            MultiProof.Version version = proof.versions().get(i);
            VerificationResult result = leafFailures.get(i).orElse(null);
            if (result == null) {
                result = shared.orElseGet(() -> new VerificationResult(
                        Status.VERIFIED,
                        version.leaf().operation().jsonName()
                                + " of " + version.leaf().resource() + " is leaf " + version.leafIndex()
                                + " of the anchored tree of size " + proof.treeSize()));
            }
            results.add(new VersionResult(version.leaf().resource(), result));
            if (overall == null && !result.verified()) {
                overall =
                        VerificationResult.fail(result.status(), version.leaf().resource() + ": " + result.detail());
            }
        }
        if (overall == null) {
            overall = new VerificationResult(
                    Status.VERIFIED,
                    proof.versions().size() + " versions are leaves of the anchored tree of size " + proof.treeSize());
        }
        return new Result(results, overall);
    }
}
