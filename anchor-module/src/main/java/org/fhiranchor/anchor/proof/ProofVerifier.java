package org.fhiranchor.anchor.proof;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.fhiranchor.anchor.canonical.ContentHash;
import org.fhiranchor.anchor.canonical.JsonFormatException;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.canonical.JsonString;
import org.fhiranchor.anchor.canonical.JsonValue;
import org.fhiranchor.anchor.log.CheckResult;
import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.anchor.log.MerkleVerifier;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.anchor.log.ResourceRef;
import org.fhiranchor.anchor.proof.VerificationResult.Status;

/**
 * Verifies a proof for one resource version. It trusts nothing in the proof that it can recompute: the
 * content hash comes from the resource bytes, the leaf hash from the entry, the root from the audit path,
 * and the root is accepted only if the chain holds it for that tree size. Never throws for bad input.
 */
public final class ProofVerifier {

    private ProofVerifier() {}

    /** Reads the proof JSON first; a malformed proof is a {@link Status#MALFORMED_PROOF} result. */
    public static VerificationResult verify(byte[] resourceJsonOrNull, byte[] proofJson, CheckpointSource chain) {
        return readThenVerify(
                proofJson, ProofJson::read, proof -> verify(resourceJsonOrNull, proof, chain), Function.identity());
    }

    /**
     * Reads proof JSON with {@code read}, then verifies what it read; JSON that cannot be read (any exception of
     * {@code read}) is a {@link Status#MALFORMED_PROOF} result, put into the caller's result type by {@code malformed}.
     */
    static <P, R> R readThenVerify(
            byte[] proofJson,
            Function<byte[], P> read,
            Function<P, R> verify,
            Function<VerificationResult, R> malformed) {
        P proof;
        try {
            proof = read.apply(proofJson);
        } catch (RuntimeException e) {
            return malformed.apply(VerificationResult.fail(Status.MALFORMED_PROOF, e.getMessage()));
        }
        return verify.apply(proof);
    }

    /**
     * @param resourceJsonOrNull the version exactly as served by {@code GET [type]/[id]/_history/[vid]}
     *                           in JSON, or null for a delete (which has no body)
     */
    public static VerificationResult verify(byte[] resourceJsonOrNull, AnchorProof proof, CheckpointSource chain) {
        if (proof == null || chain == null) {
            return VerificationResult.fail(Status.MALFORMED_PROOF, "no proof or no checkpoint source");
        }
        LeafClaims leaf = proof.leaf();
        return verify(
                resourceJsonOrNull,
                leaf.resource(),
                leaf.operation(),
                leaf.contentHash(),
                leaf.salt(),
                leaf.leafHash(),
                proof.leafIndex(),
                proof.treeSize(),
                proof.rootHash(),
                proof.auditPath(),
                chain);
    }

    /** Steps 1 to 5 of docs/verification.md section 5 on the claims of a proof, whatever its format. */
    static VerificationResult verify(
            byte[] resourceJsonOrNull,
            ResourceRef claimedResource,
            Operation claimedOperation,
            byte[] claimedContentHash,
            byte[] claimedSalt,
            byte[] claimedLeafHash,
            long leafIndex,
            long treeSize,
            byte[] rootHash,
            List<byte[]> auditPath,
            CheckpointSource chain) {
        Optional<VerificationResult> leafFailure = checkLeaf(
                resourceJsonOrNull,
                claimedResource,
                claimedOperation,
                claimedContentHash,
                claimedSalt,
                claimedLeafHash);
        if (leafFailure.isPresent()) {
            return leafFailure.get();
        }

        // 4. Inclusion of the (now recomputed and equal) leaf hash in the tree head.
        CheckResult inclusion =
                MerkleVerifier.verifyInclusion(leafIndex, treeSize, claimedLeafHash, auditPath, rootHash);
        if (!inclusion.passed()) {
            return VerificationResult.fail(Status.INCLUSION_FAILED, inclusion.reason());
        }

        // 5. The tree head is the one anchored on chain for this size.
        Optional<VerificationResult> rootFailure = checkAnchoredRoot(treeSize, rootHash, chain);
        if (rootFailure.isPresent()) {
            return rootFailure.get();
        }
        return new VerificationResult(
                Status.VERIFIED,
                claimedOperation.jsonName() + " of " + claimedResource + " is leaf " + leafIndex
                        + " of the anchored tree of size " + treeSize);
    }

    /**
     * Steps 1 to 3: the content hash recomputed from the bytes (or the tombstone hash for a delete), the
     * identity of the resource, the leaf hash recomputed from the entry. Empty if all hold.
     */
    static Optional<VerificationResult> checkLeaf(
            byte[] resourceJsonOrNull,
            ResourceRef claimedResource,
            Operation claimedOperation,
            byte[] claimedContentHash,
            byte[] claimedSalt,
            byte[] claimedLeafHash) {
        // 1. Content hash, recomputed from the bytes (or the tombstone hash for a delete).
        byte[] contentHash;
        JsonObject resource = null;
        if (claimedOperation == Operation.DELETE) {
            if (resourceJsonOrNull != null) {
                return Optional.of(VerificationResult.fail(
                        Status.RESOURCE_MISMATCH,
                        "the proof is for a delete, which has no body, but a resource was given"));
            }
            contentHash = ContentHash.deleted();
        } else {
            if (resourceJsonOrNull == null) {
                return Optional.of(VerificationResult.fail(
                        Status.RESOURCE_UNREADABLE, "no resource given for a " + claimedOperation.jsonName()));
            }
            try {
                resource = JsonParser.parseObject(resourceJsonOrNull);
            } catch (JsonFormatException e) {
                return Optional.of(VerificationResult.fail(Status.RESOURCE_UNREADABLE, e.getMessage()));
            }
            contentHash = ContentHash.of(resource);
        }
        if (!Arrays.equals(contentHash, claimedContentHash)) {
            return Optional.of(VerificationResult.fail(
                    Status.CONTENT_HASH_MISMATCH,
                    "the resource hashes to " + HexFormat.of().formatHex(contentHash) + ", the proof says "
                            + HexFormat.of().formatHex(claimedContentHash)));
        }

        // 2. The proof is about this resource version.
        if (resource != null) {
            Optional<String> mismatch = refMismatch(resource, claimedResource);
            if (mismatch.isPresent()) {
                return Optional.of(VerificationResult.fail(Status.RESOURCE_MISMATCH, mismatch.get()));
            }
        }

        // 3. Leaf hash, recomputed from the entry.
        byte[] leafHash;
        try {
            leafHash = new LeafEntry(claimedOperation, claimedResource, contentHash, claimedSalt).leafHash();
        } catch (IllegalArgumentException e) {
            return Optional.of(VerificationResult.fail(Status.LEAF_HASH_MISMATCH, e.getMessage()));
        }
        if (!Arrays.equals(leafHash, claimedLeafHash)) {
            return Optional.of(VerificationResult.fail(
                    Status.LEAF_HASH_MISMATCH,
                    "the entry hashes to " + HexFormat.of().formatHex(leafHash) + ", the proof says "
                            + HexFormat.of().formatHex(claimedLeafHash)));
        }
        return Optional.empty();
    }

    /** Step 5: the chain holds this root for this tree size. Empty if it does. */
    static Optional<VerificationResult> checkAnchoredRoot(long treeSize, byte[] rootHash, CheckpointSource chain) {
        Optional<byte[]> anchored;
        try {
            anchored = chain.anchoredRoot(treeSize);
        } catch (RuntimeException e) {
            return Optional.of(VerificationResult.fail(
                    Status.CHECKPOINT_UNAVAILABLE,
                    "could not read the checkpoint for tree size " + treeSize + ": " + e));
        }
        if (anchored == null || anchored.isEmpty()) {
            return Optional.of(
                    VerificationResult.fail(Status.NOT_ANCHORED, "no checkpoint on chain for tree size " + treeSize));
        }
        if (!Arrays.equals(anchored.get(), rootHash)) {
            return Optional.of(VerificationResult.fail(
                    Status.ANCHORED_ROOT_MISMATCH,
                    "the chain holds root "
                            + HexFormat.of().formatHex(anchored.get()) + " for tree size " + treeSize
                            + ", the proof says "
                            + HexFormat.of().formatHex(rootHash)));
        }
        return Optional.empty();
    }

    private static Optional<String> refMismatch(JsonObject resource, ResourceRef expected) {
        String type = stringAt(resource, "resourceType");
        String id = stringAt(resource, "id");
        String versionId = stringAt(resource, "meta", "versionId");
        String actual = orMissing(type) + "/" + orMissing(id) + "/_history/" + orMissing(versionId);
        if (expected.type().equals(type)
                && expected.id().equals(id)
                && expected.versionId().equals(versionId)) {
            return Optional.empty();
        }
        return Optional.of("the resource is " + actual + ", the proof is for " + expected);
    }

    private static String orMissing(String value) {
        return value == null ? "(missing)" : value;
    }

    private static String stringAt(JsonObject object, String... path) {
        Optional<JsonValue> value = object.path(path);
        return value.isPresent() && value.get() instanceof JsonString s ? s.value() : null;
    }
}
