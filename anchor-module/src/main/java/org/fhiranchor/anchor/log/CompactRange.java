package org.fhiranchor.anchor.log;

import java.util.ArrayList;
import java.util.List;

/**
 * The appender's state: the hashes of the complete subtrees along the right edge of the tree (one per
 * set bit of the tree size). Appending leaf i completes node (0, i) and, for every k with
 * {@code (i + 1) % 2^k == 0}, node (k, (i + 1) / 2^k - 1); {@link #append} returns exactly those so a
 * database can store them in the same transaction that assigns the leaf index.
 *
 * <p>Not thread-safe: the log has exactly one sequencer at a time.
 */
public final class CompactRange {

    private long size;
    /** Peaks from the left (largest subtree) to the right (smallest). */
    private final List<byte[]> peaks = new ArrayList<>();

    private CompactRange() {}

    public static CompactRange empty() {
        return new CompactRange();
    }

    /** Rebuilds the state of a tree of {@code treeSize} leaves from stored nodes: popcount(n) nodes, one read. */
    public static CompactRange restore(long treeSize, SubtreeHashes store) {
        if (treeSize < 0) {
            throw new IllegalArgumentException("negative tree size");
        }
        CompactRange range = new CompactRange();
        List<NodeCoordinate> nodes = new ArrayList<>();
        long start = 0;
        for (int level = 62; level >= 0; level--) {
            if ((treeSize & (1L << level)) != 0) {
                nodes.add(new NodeCoordinate(level, start >>> level));
                start += 1L << level;
            }
        }
        if (!nodes.isEmpty()) {
            for (byte[] peak : store.getAll(nodes)) {
                range.peaks.add(peak.clone());
            }
        }
        range.size = treeSize;
        return range;
    }

    public long size() {
        return size;
    }

    /**
     * Appends the leaf hash at index {@link #size()} and returns the nodes that became complete, level 0
     * (the leaf itself) first.
     */
    public List<SubtreeNode> append(byte[] leafHash) {
        if (leafHash == null || leafHash.length != MerkleHash.LENGTH) {
            throw new IllegalArgumentException("leaf hash must be 32 bytes");
        }
        long index = size;
        List<SubtreeNode> completed = new ArrayList<>();
        byte[] hash = leafHash.clone();
        completed.add(new SubtreeNode(0, index, hash));
        int level = 0;
        // Each trailing 1 bit of the old size is a peak of equal height that now merges with the new one.
        while (((index >>> level) & 1L) == 1L) {
            byte[] left = peaks.remove(peaks.size() - 1);
            hash = MerkleHash.node(left, hash);
            level++;
            completed.add(new SubtreeNode(level, index >>> level, hash));
        }
        peaks.add(hash);
        size = index + 1;
        return completed;
    }

    /** MTH of the current tree, from the peaks alone. */
    public byte[] root() {
        if (peaks.isEmpty()) {
            return MerkleHash.emptyRoot();
        }
        byte[] hash = peaks.get(peaks.size() - 1);
        for (int i = peaks.size() - 2; i >= 0; i--) {
            hash = MerkleHash.node(peaks.get(i), hash);
        }
        return hash.clone();
    }
}
