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
 * path has at most one such incomplete range, so proofs cost at most about 2 * log2(n) reads.
 */
public final class MerkleTree {

    private MerkleTree() {
    }

    /** MTH(D[0:n]); the empty tree's hash is SHA-256 of the empty string. */
    public static byte[] root(long treeSize, SubtreeHashes store) {
        if (treeSize < 0) {
            throw new IllegalArgumentException("negative tree size");
        }
        if (treeSize == 0) {
            return MerkleHash.emptyRoot();
        }
        return rangeHash(0, treeSize, store);
    }

    /** PATH(m, D[0:n]) of RFC 9162 section 2.1.3.1, ordered from the leaf's sibling up to the root's child. */
    public static List<byte[]> inclusionPath(long leafIndex, long treeSize, SubtreeHashes store) {
        if (leafIndex < 0 || leafIndex >= treeSize) {
            throw new IllegalArgumentException("leaf index " + leafIndex + " not in a tree of size " + treeSize);
        }
        List<byte[]> topDown = new ArrayList<>();
        long lo = 0;
        long hi = treeSize;
        while (hi - lo > 1) {
            long k = largestPowerOfTwoBelow(hi - lo);
            if (leafIndex < lo + k) {
                topDown.add(rangeHash(lo + k, hi, store));
                hi = lo + k;
            } else {
                topDown.add(rangeHash(lo, lo + k, store));
                lo = lo + k;
            }
        }
        Collections.reverse(topDown);
        return topDown;
    }

    /** PROOF(m, D[0:n]) of RFC 9162 section 2.1.4.1 for 0 < m <= n; empty when m == n. */
    public static List<byte[]> consistencyPath(long oldSize, long newSize, SubtreeHashes store) {
        if (oldSize <= 0 || oldSize > newSize) {
            throw new IllegalArgumentException("consistency proof needs 0 < m <= n, got m=" + oldSize + " n=" + newSize);
        }
        List<byte[]> topDown = new ArrayList<>();
        long lo = 0;
        long hi = newSize;
        long m = oldSize; // absolute end of the old tree; the current range is D[lo:hi]
        boolean oldRootIsKnown = true; // the b flag of SUBPROOF
        while (m != hi) {
            long k = largestPowerOfTwoBelow(hi - lo);
            if (m - lo <= k) {
                topDown.add(rangeHash(lo + k, hi, store));
                hi = lo + k;
            } else {
                topDown.add(rangeHash(lo, lo + k, store));
                lo = lo + k;
                oldRootIsKnown = false;
            }
        }
        List<byte[]> proof = new ArrayList<>();
        if (!oldRootIsKnown) {
            proof.add(rangeHash(lo, hi, store));
        }
        Collections.reverse(topDown);
        proof.addAll(topDown);
        return proof;
    }

    /** MTH(D[lo:hi]) for a range that starts on a boundary of its own size class (see class comment). */
    static byte[] rangeHash(long lo, long hi, SubtreeHashes store) {
        long size = hi - lo;
        if (Long.bitCount(size) == 1) {
            int level = Long.numberOfTrailingZeros(size);
            return store.get(level, lo >>> level);
        }
        // Complete subtrees left to right: the binary digits of size, most significant first.
        List<byte[]> peaks = new ArrayList<>();
        long start = lo;
        for (int level = 63 - Long.numberOfLeadingZeros(size); level >= 0; level--) {
            if ((size & (1L << level)) != 0) {
                peaks.add(store.get(level, start >>> level));
                start += 1L << level;
            }
        }
        byte[] hash = peaks.get(peaks.size() - 1);
        for (int i = peaks.size() - 2; i >= 0; i--) {
            hash = MerkleHash.node(peaks.get(i), hash);
        }
        return hash;
    }

    /** The largest power of two strictly smaller than n (n >= 2): the RFC's split point k. */
    static long largestPowerOfTwoBelow(long n) {
        if (n < 2) {
            throw new IllegalArgumentException("n must be >= 2");
        }
        return Long.highestOneBit(n - 1);
    }
}
