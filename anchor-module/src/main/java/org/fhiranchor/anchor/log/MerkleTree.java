package org.fhiranchor.anchor.log;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * RFC 9162 section 2.1 tree head and proofs, computed from stored complete-subtree hashes.
 *
 * <p>Every range the RFC's recursive definitions visit, {@code D[lo:hi]}, starts at a multiple of the
 * smallest power of two not below its size. Its hash is therefore either one stored node (a complete
 * range) or the right-to-left fold of the complete subtrees given by the binary digits of its size. A
 * path has at most one such incomplete range, so proofs need at most about 2 * log2(n) nodes, all read with
 * one {@link SubtreeHashes#getAll} call.
 */
public final class MerkleTree {

    private MerkleTree() {}

    /** MTH(D[0:n]); the empty tree's hash is SHA-256 of the empty string. */
    public static byte[] root(long treeSize, SubtreeHashes store) {
        if (treeSize < 0) {
            throw new IllegalArgumentException("negative tree size");
        }
        if (treeSize == 0) {
            return MerkleHash.emptyRoot();
        }
        return rangeHashes(List.of(new long[] {0, treeSize}), store).get(0);
    }

    /** PATH(m, D[0:n]) of RFC 9162 section 2.1.3.1, ordered from the leaf's sibling up to the root's child. */
    public static List<byte[]> inclusionPath(long leafIndex, long treeSize, SubtreeHashes store) {
        if (leafIndex < 0 || leafIndex >= treeSize) {
            throw new IllegalArgumentException("leaf index " + leafIndex + " not in a tree of size " + treeSize);
        }
        List<long[]> topDown = new ArrayList<>();
        long lo = 0;
        long hi = treeSize;
        while (hi - lo > 1) {
            long k = largestPowerOfTwoBelow(hi - lo);
            if (leafIndex < lo + k) {
                topDown.add(new long[] {lo + k, hi});
                hi = lo + k;
            } else {
                topDown.add(new long[] {lo, lo + k});
                lo = lo + k;
            }
        }
        List<byte[]> path = rangeHashes(topDown, store);
        Collections.reverse(path);
        return path;
    }

    /** PROOF(m, D[0:n]) of RFC 9162 section 2.1.4.1 for 0 < m <= n; empty when m == n. */
    public static List<byte[]> consistencyPath(long oldSize, long newSize, SubtreeHashes store) {
        if (oldSize <= 0 || oldSize > newSize) {
            throw new IllegalArgumentException(
                    "consistency proof needs 0 < m <= n, got m=" + oldSize + " n=" + newSize);
        }
        List<long[]> topDown = new ArrayList<>();
        long lo = 0;
        long hi = newSize;
        long m = oldSize; // absolute end of the old tree; the current range is D[lo:hi]
        boolean oldRootIsKnown = true; // the b flag of SUBPROOF
        while (m != hi) {
            long k = largestPowerOfTwoBelow(hi - lo);
            if (m - lo <= k) {
                topDown.add(new long[] {lo + k, hi});
                hi = lo + k;
            } else {
                topDown.add(new long[] {lo, lo + k});
                lo = lo + k;
                oldRootIsKnown = false;
            }
        }
        if (!oldRootIsKnown) {
            topDown.add(new long[] {lo, hi});
        }
        // One read for every range of the proof.
        List<byte[]> hashes = rangeHashes(topDown, store);
        List<byte[]> proof = new ArrayList<>(hashes.size());
        int path = hashes.size();
        if (!oldRootIsKnown) {
            path--;
            proof.add(hashes.get(path));
        }
        for (int i = path - 1; i >= 0; i--) {
            proof.add(hashes.get(i));
        }
        return proof;
    }

    /** MTH(D[lo:hi]) for a range that starts on a boundary of its own size class (see class comment). */
    static byte[] rangeHash(long lo, long hi, SubtreeHashes store) {
        return rangeHashes(List.<long[]>of(new long[] {lo, hi}), store).get(0);
    }

    /**
     * MTH of each range {lo, hi}, in order, with the stored nodes of all of them read in ONE
     * {@link SubtreeHashes#getAll} call (one database query instead of one per node).
     */
    static List<byte[]> rangeHashes(List<long[]> ranges, SubtreeHashes store) {
        List<NodeCoordinate> nodes = new ArrayList<>();
        int[] counts = new int[ranges.size()];
        for (int r = 0; r < ranges.size(); r++) {
            int before = nodes.size();
            addRangeNodes(ranges.get(r)[0], ranges.get(r)[1], nodes);
            counts[r] = nodes.size() - before;
        }
        List<byte[]> stored = nodes.isEmpty() ? List.of() : store.getAll(nodes);
        if (stored.size() != nodes.size()) {
            throw new IllegalStateException("asked for " + nodes.size() + " subtree hashes, got " + stored.size());
        }
        List<byte[]> hashes = new ArrayList<>(ranges.size());
        int next = 0;
        for (int count : counts) {
            // Right-to-left fold of the complete subtrees of the range.
            byte[] hash = stored.get(next + count - 1);
            for (int i = next + count - 2; i >= next; i--) {
                hash = MerkleHash.node(stored.get(i), hash);
            }
            hashes.add(hash);
            next += count;
        }
        return hashes;
    }

    /** The complete subtrees of D[lo:hi], left to right: the binary digits of its size, most significant first. */
    private static void addRangeNodes(long lo, long hi, List<NodeCoordinate> nodes) {
        long size = hi - lo;
        if (size <= 0) {
            throw new IllegalArgumentException("empty range " + lo + ".." + hi);
        }
        long start = lo;
        for (int level = 63 - Long.numberOfLeadingZeros(size); level >= 0; level--) {
            if ((size & (1L << level)) != 0) {
                nodes.add(new NodeCoordinate(level, start >>> level));
                start += 1L << level;
            }
        }
    }

    /** The largest power of two strictly smaller than n (n >= 2): the RFC's split point k. */
    static long largestPowerOfTwoBelow(long n) {
        if (n < 2) {
            throw new IllegalArgumentException("n must be >= 2");
        }
        return Long.highestOneBit(n - 1);
    }
}
