package org.fhiranchor.anchor.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MultiInclusionProofTest {

    private static byte[] leaf(long i) {
        return MerkleHash.leaf(ByteBuffer.allocate(8).putLong(i).array());
    }

    private static InMemorySubtreeHashes tree(long size) {
        InMemorySubtreeHashes tree = new InMemorySubtreeHashes();
        for (long i = 0; i < size; i++) {
            tree.append(leaf(i));
        }
        return tree;
    }

    private static List<byte[]> hashes(long[] indexes) {
        List<byte[]> out = new ArrayList<>();
        for (long i : indexes) {
            out.add(leaf(i));
        }
        return out;
    }

    private static long[] randomSubset(Random random, int n) {
        TreeSet<Long> set = new TreeSet<>();
        int wanted = 1 + random.nextInt(n);
        double density = random.nextDouble();
        for (long i = 0; i < n && set.size() < wanted; i++) {
            if (random.nextDouble() < density) {
                set.add(i);
            }
        }
        if (set.isEmpty()) {
            set.add((long) random.nextInt(n));
        }
        return set.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void everySizeUpTo70_withManyRandomSubsets_verifiesAgainstTheRoot() {
        Random random = new Random(42);
        for (int n = 1; n <= 70; n++) {
            InMemorySubtreeHashes tree = tree(n);
            byte[] root = MerkleTree.root(n, tree);
            List<byte[]> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(leaf(i));
            }
            assertArrayEquals(ReferenceMerkle.mth(all), root);
            for (int round = 0; round < 60; round++) {
                long[] subset = randomSubset(random, n);
                List<byte[]> proof = MultiInclusionProof.generate(subset, n, tree);
                CheckResult result = MultiInclusionProof.verify(n, subset, hashes(subset), proof, root);
                assertTrue(result.passed(), "n=" + n + " subset " + java.util.Arrays.toString(subset) + ": " + result);
                // The proof is minimal for this shape: one hash per maximal range without a leaf of S.
                if (!proof.isEmpty()) {
                    List<byte[]> shorter = proof.subList(0, proof.size() - 1);
                    assertFalse(MultiInclusionProof.verify(n, subset, hashes(subset), shorter, root)
                            .passed());
                }
            }
        }
    }

    @Test
    void allLeavesNeedAnEmptyProof() {
        for (int n = 1; n <= 70; n++) {
            InMemorySubtreeHashes tree = tree(n);
            long[] all = java.util.stream.LongStream.range(0, n).toArray();
            List<byte[]> proof = MultiInclusionProof.generate(all, n, tree);
            assertEquals(0, proof.size());
            assertTrue(MultiInclusionProof.verify(n, all, hashes(all), proof, MerkleTree.root(n, tree))
                    .passed());
        }
    }

    @Test
    void oneLeafNeedsTheHashesOfItsAuditPath() {
        for (int n = 1; n <= 70; n++) {
            InMemorySubtreeHashes tree = tree(n);
            for (long m = 0; m < n; m++) {
                List<byte[]> multi = MultiInclusionProof.generate(new long[] {m}, n, tree);
                // The same hashes; the multi-proof lists them in the recursion's left-to-right order.
                List<String> path = new ArrayList<>(MerkleTree.inclusionPath(m, n, tree).stream()
                        .map(HexFormat.of()::formatHex)
                        .toList());
                List<String> fromMulti = new ArrayList<>(
                        multi.stream().map(HexFormat.of()::formatHex).toList());
                Collections.sort(path);
                Collections.sort(fromMulti);
                assertEquals(path, fromMulti);
                assertTrue(MultiInclusionProof.verify(n, Map.of(m, leaf(m)), multi, MerkleTree.root(n, tree))
                        .passed());
            }
        }
    }

    @Test
    void tamperingFailsWithAReason() {
        int n = 37;
        InMemorySubtreeHashes tree = tree(n);
        byte[] root = MerkleTree.root(n, tree);
        long[] subset = {2, 3, 17, 30, 36};
        List<byte[]> proof = MultiInclusionProof.generate(subset, n, tree);
        assertTrue(MultiInclusionProof.verify(n, subset, hashes(subset), proof, root)
                .passed());

        for (int i = 0; i < proof.size(); i++) {
            List<byte[]> changed = new ArrayList<>(proof);
            byte[] h = changed.get(i).clone();
            h[5] ^= 1;
            changed.set(i, h);
            assertTrue(MultiInclusionProof.verify(n, subset, hashes(subset), changed, root)
                    .reason()
                    .startsWith("root mismatch"));
        }
        List<byte[]> leaves = hashes(subset);
        leaves.set(2, leaf(18));
        assertTrue(MultiInclusionProof.verify(n, subset, leaves, proof, root)
                .reason()
                .startsWith("root mismatch"));
        // The right hashes claimed at the wrong index.
        long[] moved = {2, 3, 18, 30, 36};
        assertFalse(MultiInclusionProof.verify(n, moved, hashes(subset), proof, root)
                .passed());

        List<byte[]> longer = new ArrayList<>(proof);
        longer.add(leaf(0));
        assertTrue(MultiInclusionProof.verify(n, subset, hashes(subset), longer, root)
                .reason()
                .startsWith("proof too long"));
        assertTrue(MultiInclusionProof.verify(n, subset, hashes(subset), proof.subList(0, 1), root)
                .reason()
                .startsWith("proof too short"));
        // Another tree size, same leaves and proof.
        assertFalse(MultiInclusionProof.verify(n + 1, subset, hashes(subset), proof, root)
                .passed());

        assertTrue(MultiInclusionProof.verify(n, new long[] {2, 2}, hashes(new long[] {2, 2}), proof, root)
                .reason()
                .startsWith("duplicate leaf index 2"));
        assertTrue(MultiInclusionProof.verify(n, new long[] {3, 2}, hashes(new long[] {3, 2}), proof, root)
                .reason()
                .startsWith("leaf indexes not sorted"));
        assertTrue(MultiInclusionProof.verify(n, new long[] {37}, hashes(new long[] {37}), proof, root)
                .reason()
                .startsWith("leaf index 37 out of range"));
        assertTrue(MultiInclusionProof.verify(n, new long[0], List.of(), proof, root)
                .reason()
                .startsWith("no leaves"));
        assertTrue(MultiInclusionProof.verify(0, new TreeMap<>(Map.of(0L, leaf(0))), List.of(), root)
                .reason()
                .startsWith("tree size must be positive"));
        List<byte[]> shortHash = new ArrayList<>(proof);
        shortHash.set(0, new byte[31]);
        assertEquals(
                "proof element 0 must be 32 bytes",
                MultiInclusionProof.verify(n, subset, hashes(subset), shortHash, root)
                        .reason());
        assertThrows(IllegalArgumentException.class, () -> MultiInclusionProof.generate(new long[0], n, tree));
        assertThrows(IllegalArgumentException.class, () -> MultiInclusionProof.generate(new long[] {5, 5}, n, tree));
    }

    @Test
    void aDenseSubsetOfALargeTreeCostsLogarithmicReads() {
        long n = 300_001; // not a power of two: the right edge needs folds
        InMemorySubtreeHashes tree = tree(n);
        byte[] root = MerkleTree.root(n, tree);
        double log2 = Math.log(n) / Math.log(2);

        // 5,000 consecutive leaves in the middle: two boundary paths, about 2 log2 n hashes.
        long[] block = java.util.stream.LongStream.range(123_457, 128_457).toArray();
        CountingSubtreeHashes store = new CountingSubtreeHashes(tree);
        List<byte[]> proof = MultiInclusionProof.generate(block, n, store);
        assertTrue(proof.size() <= 2 * log2, proof.size() + " hashes");
        assertTrue(store.reads <= 4 * log2, store.reads + " reads");
        assertEquals(1, store.batches, "all the proof's nodes in one batched read");
        assertTrue(
                MultiInclusionProof.verify(n, block, hashes(block), proof, root).passed());

        // 2,000 scattered leaves: bounded by |S| * log2(n / |S|) plus the right edge, far below n.
        Random random = new Random(3);
        TreeSet<Long> scattered = new TreeSet<>();
        while (scattered.size() < 2_000) {
            scattered.add((long) (random.nextDouble() * n));
        }
        long[] s = scattered.stream().mapToLong(Long::longValue).toArray();
        store = new CountingSubtreeHashes(tree);
        proof = MultiInclusionProof.generate(s, n, store);
        double bound = s.length * (Math.log((double) n / s.length) / Math.log(2) + 2) + 2 * log2 * log2;
        assertTrue(store.reads <= bound, store.reads + " reads, bound " + bound);
        assertTrue(MultiInclusionProof.verify(n, s, hashes(s), proof, root).passed());
    }
}
