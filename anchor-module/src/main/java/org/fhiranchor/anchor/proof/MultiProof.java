package org.fhiranchor.anchor.proof;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.anchor.log.MerkleTree;
import org.fhiranchor.anchor.log.MultiInclusionProof;
import org.fhiranchor.anchor.log.SubtreeHashes;

/**
 * The proof for many resource versions at once ({@code fhir-anchor-multiproof/1}, docs/verification.md
 * section 4.1): each version's leaf (operation, reference, content hash, salt, leaf hash, index), sorted by
 * leaf index, one multi-leaf inclusion proof ({@link MultiInclusionProof}) to one tree head, and the chain
 * anchor of that tree head. Only the shape is checked here; {@link MultiProofVerifier} checks what it proves.
 */
public record MultiProof(
        List<Version> versions, long treeSize, byte[] rootHash, List<byte[]> hashes, ChainAnchor anchor) {

    public static final String FORMAT = "fhir-anchor-multiproof/1";

    /** One proven version: the claims a verifier recomputes from the resource it holds, and the leaf's index. */
    public record Version(LeafClaims leaf, long leafIndex) {

        public Version {
            Objects.requireNonNull(leaf, "leaf");
            if (leafIndex < 0) {
                throw new IllegalArgumentException("leafIndex must not be negative");
            }
        }

        public static Version of(LeafEntry entry, long leafIndex) {
            return new Version(LeafClaims.of(entry), leafIndex);
        }
    }

    public MultiProof {
        Objects.requireNonNull(anchor, "anchor");
        versions = List.copyOf(Objects.requireNonNull(versions, "versions"));
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("versions must not be empty");
        }
        for (int i = 1; i < versions.size(); i++) {
            if (versions.get(i).leafIndex() <= versions.get(i - 1).leafIndex()) {
                throw new IllegalArgumentException(
                        "versions must be sorted by leafIndex, each leaf once (versions[" + i + "])");
            }
        }
        if (versions.get(versions.size() - 1).leafIndex() >= treeSize) {
            throw new IllegalArgumentException("a leafIndex is not below treeSize");
        }
        rootHash = AnchorProof.hash32(rootHash, "rootHash");
        Objects.requireNonNull(hashes, "hashes");
        List<byte[]> copy = new ArrayList<>(hashes.size());
        for (int i = 0; i < hashes.size(); i++) {
            copy.add(AnchorProof.hash32(hashes.get(i), "hashes[" + i + "]"));
        }
        hashes = Collections.unmodifiableList(copy);
    }

    /** Builds the proof for these leaves (any order, each once) of a stored tree, against the head of size {@code treeSize}. */
    public static MultiProof forLeaves(List<Version> leaves, long treeSize, SubtreeHashes store, ChainAnchor anchor) {
        List<Version> sorted = leaves.stream()
                .sorted(java.util.Comparator.comparingLong(Version::leafIndex))
                .toList();
        long[] indexes = sorted.stream().mapToLong(Version::leafIndex).toArray();
        return new MultiProof(
                sorted,
                treeSize,
                MerkleTree.root(treeSize, store),
                MultiInclusionProof.generate(indexes, treeSize, store),
                anchor);
    }

    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MultiProof other
                && java.util.Arrays.equals(MultiProofJson.write(this), MultiProofJson.write(other));
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(MultiProofJson.write(this));
    }

    @Override
    public String toString() {
        return "MultiProof[" + versions.size() + " versions, treeSize=" + treeSize + "]";
    }
}
