package org.fhiranchor.anchor.log;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Multi-leaf inclusion proof (docs/research-export.md section 3): proves that a set S of leaves, with
 * known hashes, is in the RFC 9162 tree of size n. The recursion over the RFC's ranges {@code [lo, hi)},
 * starting with {@code [0, n)}, either takes MTH of a range that holds no index of S from the proof (in
 * the order the recursion meets them, left before right), or uses the known leaf hash of a one-leaf
 * range, or splits at k (the largest power of two below the range's size) and hashes
 * {@code node(left, right)}. A proof for all leaves is empty; a proof for one leaf holds the same hashes
 * as its audit path, in the recursion's order (a left sibling before the hashes below it, a right one after).
 *
 * <p>Generation reads the node store only for ranges without an index of S, each one stored node or (on
 * the tree's right edge) a fold of a few, like {@link MerkleTree}; a contiguous block of leaves costs
 * O(log n) reads, a scattered set O(|S| log(n/|S|)).
 */
public final class MultiInclusionProof {

    private MultiInclusionProof() {}

    /**
     * The proof hashes for the leaves at {@code sortedLeafIndexes} (strictly increasing, non-empty, each
     * below {@code treeSize}) against MTH(D[0:treeSize]) of a stored tree.
     */
    public static List<byte[]> generate(long[] sortedLeafIndexes, long treeSize, SubtreeHashes store) {
        Objects.requireNonNull(store, "store");
        String problem = indexProblem(sortedLeafIndexes, treeSize);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        List<long[]> ranges = new ArrayList<>();
        collect(sortedLeafIndexes, 0, sortedLeafIndexes.length, 0, treeSize, ranges);
        // Every range's stored nodes in one batched read (one query per chunk for a database store).
        return MerkleTree.rangeHashes(ranges, store);
    }

    /** Same for a list of indexes (sorted, distinct). */
    public static List<byte[]> generate(List<Long> sortedLeafIndexes, long treeSize, SubtreeHashes store) {
        return generate(sortedLeafIndexes.stream().mapToLong(Long::longValue).toArray(), treeSize, store);
    }

    /** The ranges without a leaf of S, in proof order; {@code indexes[from, to)} are those inside {@code [lo, hi)}. */
    private static void collect(long[] indexes, int from, int to, long lo, long hi, List<long[]> ranges) {
        if (from == to) {
            ranges.add(new long[] {lo, hi});
            return;
        }
        if (hi - lo == 1) {
            return; // the verifier knows this leaf's hash
        }
        long split = lo + MerkleTree.largestPowerOfTwoBelow(hi - lo);
        int middle = firstAtOrAbove(indexes, from, to, split);
        collect(indexes, from, middle, lo, split, ranges);
        collect(indexes, middle, to, split, hi, ranges);
    }

    /**
     * Verifies the proof for leaves given as parallel arrays: {@code leafIndexes} strictly increasing,
     * {@code leafHashes.get(i)} the hash of leaf {@code leafIndexes[i]}. Never throws for bad input.
     */
    public static CheckResult verify(
            long treeSize, long[] leafIndexes, List<byte[]> leafHashes, List<byte[]> proof, byte[] root) {
        if (leafIndexes == null || leafHashes == null || proof == null) {
            return CheckResult.fail("missing leaves or proof");
        }
        if (leafIndexes.length != leafHashes.size()) {
            return CheckResult.fail(leafIndexes.length + " leaf indexes but " + leafHashes.size() + " leaf hashes");
        }
        if (root == null || root.length != MerkleHash.LENGTH) {
            return CheckResult.fail("root must be 32 bytes");
        }
        String problem = indexProblem(leafIndexes, treeSize);
        if (problem != null) {
            return CheckResult.fail(problem);
        }
        for (int i = 0; i < leafHashes.size(); i++) {
            byte[] hash = leafHashes.get(i);
            if (hash == null || hash.length != MerkleHash.LENGTH) {
                return CheckResult.fail("hash of leaf " + leafIndexes[i] + " must be 32 bytes");
            }
        }
        for (int i = 0; i < proof.size(); i++) {
            byte[] hash = proof.get(i);
            if (hash == null || hash.length != MerkleHash.LENGTH) {
                return CheckResult.fail("proof element " + i + " must be 32 bytes");
            }
        }
        Iterator<byte[]> next = proof.iterator();
        byte[] computed;
        try {
            computed = recompute(leafIndexes, leafHashes, 0, leafIndexes.length, 0, treeSize, next);
        } catch (ProofTooShort e) {
            return CheckResult.fail("proof too short: it has " + proof.size() + " hashes");
        }
        if (next.hasNext()) {
            int used = 0;
            while (next.hasNext()) {
                next.next();
                used++;
            }
            return CheckResult.fail("proof too long: " + used + " of its " + proof.size() + " hashes unused");
        }
        if (!Arrays.equals(computed, root)) {
            return CheckResult.fail(
                    "root mismatch: the leaves and proof give " + HexFormat.of().formatHex(computed) + ", expected "
                            + HexFormat.of().formatHex(root));
        }
        return CheckResult.pass();
    }

    /** Same, with the leaves as a map from index to hash (a map's keys cannot repeat). */
    public static CheckResult verify(long treeSize, Map<Long, byte[]> leaves, List<byte[]> proof, byte[] root) {
        if (leaves == null) {
            return CheckResult.fail("missing leaves");
        }
        List<Map.Entry<Long, byte[]>> sorted = new ArrayList<>(leaves.entrySet());
        sorted.sort(Map.Entry.comparingByKey());
        long[] indexes = new long[sorted.size()];
        List<byte[]> hashes = new ArrayList<>(sorted.size());
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = sorted.get(i).getKey();
            hashes.add(sorted.get(i).getValue());
        }
        return verify(treeSize, indexes, hashes, proof, root);
    }

    /** MTH(D[lo:hi]) from the leaves of S in it and the next proof hashes; throws ProofTooShort if they run out. */
    private static byte[] recompute(
            long[] indexes, List<byte[]> hashes, int from, int to, long lo, long hi, Iterator<byte[]> proof) {
        if (from == to) {
            if (!proof.hasNext()) {
                throw new ProofTooShort();
            }
            return proof.next();
        }
        if (hi - lo == 1) {
            return hashes.get(from);
        }
        long split = lo + MerkleTree.largestPowerOfTwoBelow(hi - lo);
        int middle = firstAtOrAbove(indexes, from, to, split);
        byte[] left = recompute(indexes, hashes, from, middle, lo, split, proof);
        byte[] right = recompute(indexes, hashes, middle, to, split, hi, proof);
        return MerkleHash.node(left, right);
    }

    /** Null if the indexes are a valid S for a tree of this size, else why not. */
    private static String indexProblem(long[] indexes, long treeSize) {
        if (indexes == null || indexes.length == 0) {
            return "no leaves: a multi-leaf proof needs at least one leaf index";
        }
        if (treeSize <= 0) {
            return "tree size must be positive, got " + treeSize;
        }
        for (int i = 0; i < indexes.length; i++) {
            if (indexes[i] < 0 || indexes[i] >= treeSize) {
                return "leaf index " + indexes[i] + " out of range for tree size " + treeSize;
            }
            if (i > 0 && indexes[i] == indexes[i - 1]) {
                return "duplicate leaf index " + indexes[i];
            }
            if (i > 0 && indexes[i] < indexes[i - 1]) {
                return "leaf indexes not sorted: " + indexes[i] + " after " + indexes[i - 1];
            }
        }
        return null;
    }

    /** The first position in {@code indexes[from, to)} whose value is >= {@code value} (binary search). */
    private static int firstAtOrAbove(long[] indexes, int from, int to, long value) {
        int low = from;
        int high = to;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (indexes[mid] < value) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private static final class ProofTooShort extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ProofTooShort() {
            super(null, null, false, false);
        }
    }
}
