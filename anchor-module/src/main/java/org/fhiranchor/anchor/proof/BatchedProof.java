package org.fhiranchor.anchor.proof;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.log.InMemorySubtreeHashes;
import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.anchor.log.MerkleTree;

/**
 * The proof of a version written as a member of a batch ({@code fhir-anchor-batched-proof/1},
 * docs/verification.md section 4.2): the claims of the member's leaf entry, its RFC 9162 audit path in the tree over the
 * batch's members, the batch record (a Basic resource stating that tree's root and size) and the ordinary
 * proof of the batch record's version in the log.
 */
public record BatchedProof(
        LeafClaims leaf,
        long batchIndex,
        long batchSize,
        List<byte[]> batchPath,
        JsonObject batchRecord,
        AnchorProof batchProof) {

    public static final String FORMAT = "fhir-anchor-batched-proof/1";

    public BatchedProof {
        Objects.requireNonNull(leaf, "leaf");
        Objects.requireNonNull(batchRecord, "batchRecord");
        Objects.requireNonNull(batchProof, "batchProof");
        Objects.requireNonNull(batchPath, "batchPath");
        List<byte[]> copy = new ArrayList<>(batchPath.size());
        for (int i = 0; i < batchPath.size(); i++) {
            copy.add(AnchorProof.hash32(batchPath.get(i), "batchPath[" + i + "]"));
        }
        batchPath = Collections.unmodifiableList(copy);
        if (batchIndex < 0 || batchSize < 1 || batchIndex >= batchSize) {
            throw new IllegalArgumentException("batchIndex must be in [0, batchSize) and batchSize positive");
        }
    }

    /**
     * The proof of member {@code index} of a batch.
     *
     * @param memberLeafHashes the leaf hashes of all the batch's members, in batch order
     */
    public static BatchedProof forMember(
            LeafEntry member,
            int index,
            List<byte[]> memberLeafHashes,
            JsonObject batchRecord,
            AnchorProof batchProof) {
        InMemorySubtreeHashes tree = new InMemorySubtreeHashes();
        memberLeafHashes.forEach(tree::append);
        return new BatchedProof(
                LeafClaims.of(member),
                index,
                memberLeafHashes.size(),
                MerkleTree.inclusionPath(index, memberLeafHashes.size(), tree),
                batchRecord,
                batchProof);
    }

    /** The root of the tree over the members' leaf hashes, as a batch record states it. */
    public static byte[] batchRoot(List<byte[]> memberLeafHashes) {
        InMemorySubtreeHashes tree = new InMemorySubtreeHashes();
        memberLeafHashes.forEach(tree::append);
        return tree.root();
    }

    @Override
    public List<byte[]> batchPath() {
        List<byte[]> copy = new ArrayList<>(batchPath.size());
        batchPath.forEach(h -> copy.add(h.clone()));
        return copy;
    }

    /** Equal when the canonical JSON is: the byte arrays compare by content, not by identity. */
    @Override
    public boolean equals(Object o) {
        return o instanceof BatchedProof other
                && Arrays.equals(BatchedProofJson.write(this), BatchedProofJson.write(other));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(BatchedProofJson.write(this));
    }

    @Override
    public String toString() {
        return "BatchedProof[" + leaf + " member " + batchIndex + " of " + batchSize + " of "
                + batchProof.leaf().resource() + "]";
    }
}
