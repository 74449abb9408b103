package org.fhiranchor.anchor.proof;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.fhiranchor.anchor.log.FixedBytes;
import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.anchor.log.MerkleTree;
import org.fhiranchor.anchor.log.SubtreeHashes;

/**
 * The proof for one resource version: its leaf's claims ({@link LeafClaims}), the leaf's
 * position, the RFC 9162 audit path to the tree head (treeSize, rootHash), and the chain anchor of that
 * tree head. Only the shape is checked here; whether it proves anything is {@link ProofVerifier}'s job.
 */
public record AnchorProof(
        LeafClaims leaf, long leafIndex, long treeSize, byte[] rootHash, List<byte[]> auditPath, ChainAnchor anchor) {

    public static final String FORMAT = "fhir-anchor-proof/1";

    public AnchorProof {
        Objects.requireNonNull(leaf, "leaf");
        Objects.requireNonNull(anchor, "anchor");
        rootHash = hash32(rootHash, "rootHash");
        Objects.requireNonNull(auditPath, "auditPath");
        List<byte[]> copy = new ArrayList<>(auditPath.size());
        for (int i = 0; i < auditPath.size(); i++) {
            copy.add(hash32(auditPath.get(i), "auditPath[" + i + "]"));
        }
        auditPath = Collections.unmodifiableList(copy);
        if (leafIndex < 0) {
            throw new IllegalArgumentException("leafIndex must not be negative");
        }
        if (treeSize < 0) {
            throw new IllegalArgumentException("treeSize must not be negative");
        }
    }

    /** Builds the proof for the leaf at {@code leafIndex} of a stored tree, against the head of size {@code treeSize}. */
    public static AnchorProof forLeaf(
            LeafEntry entry, long leafIndex, long treeSize, SubtreeHashes store, ChainAnchor anchor) {
        return new AnchorProof(
                LeafClaims.of(entry),
                leafIndex,
                treeSize,
                MerkleTree.root(treeSize, store),
                MerkleTree.inclusionPath(leafIndex, treeSize, store),
                anchor);
    }

    static byte[] hash32(byte[] bytes, String name) {
        return FixedBytes.copy(bytes, 32, name);
    }

    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    @Override
    public List<byte[]> auditPath() {
        List<byte[]> copy = new ArrayList<>(auditPath.size());
        auditPath.forEach(h -> copy.add(h.clone()));
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AnchorProof other)) {
            return false;
        }
        if (auditPath.size() != other.auditPath.size()) {
            return false;
        }
        for (int i = 0; i < auditPath.size(); i++) {
            if (!Arrays.equals(auditPath.get(i), other.auditPath.get(i))) {
                return false;
            }
        }
        return leaf.equals(other.leaf)
                && leafIndex == other.leafIndex
                && treeSize == other.treeSize
                && Arrays.equals(rootHash, other.rootHash)
                && anchor.equals(other.anchor);
    }

    @Override
    public int hashCode() {
        return Objects.hash(leaf, leafIndex, treeSize, Arrays.hashCode(rootHash));
    }

    @Override
    public String toString() {
        return "AnchorProof[" + leaf + " leaf " + leafIndex + " of " + treeSize + ", root "
                + HexFormat.of().formatHex(rootHash) + "]";
    }
}
