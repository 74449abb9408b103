package org.fhiranchor.anchor.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleVerifierTest {

    private final List<byte[]> leaves = MerkleTreeTest.leafHashes(11);
    private final InMemorySubtreeHashes tree = new InMemorySubtreeHashes();

    {
        leaves.forEach(tree::append);
    }

    private CheckResult inclusion(long index, long size, List<byte[]> path, byte[] root) {
        return MerkleVerifier.verifyInclusion(index, size, leaves.get(3), path, root);
    }

    @Test
    void inclusionFailuresSayWhy() {
        List<byte[]> path = MerkleTree.inclusionPath(3, 11, tree);
        byte[] root = MerkleTree.root(11, tree);
        assertTrue(inclusion(3, 11, path, root).passed());

        assertEquals("leaf index >= tree size", inclusion(11, 11, path, root).reason());
        assertEquals("leaf index >= tree size", inclusion(12, 11, path, root).reason());
        assertEquals(
                "negative leaf index or tree size",
                inclusion(-1, 11, path, root).reason());

        List<byte[]> longer = new ArrayList<>(path);
        longer.add(new byte[32]);
        assertEquals("path too long", inclusion(3, 11, longer, root).reason());
        assertEquals(
                "path too short",
                inclusion(3, 11, path.subList(0, path.size() - 1), root).reason());

        byte[] otherRoot = root.clone();
        otherRoot[0] ^= 1;
        assertEquals("root mismatch", inclusion(3, 11, path, otherRoot).reason());
        assertEquals(
                "root must be 32 bytes", inclusion(3, 11, path, new byte[31]).reason());
        assertEquals("root must be 32 bytes", inclusion(3, 11, path, null).reason());
        assertEquals("missing path", inclusion(3, 11, null, root).reason());

        List<byte[]> shortElement = new ArrayList<>(path);
        shortElement.set(1, Arrays.copyOf(path.get(1), 33));
        assertEquals(
                "path element 1 must be 32 bytes",
                inclusion(3, 11, shortElement, root).reason());
        List<byte[]> nullElement = new ArrayList<>(path);
        nullElement.set(0, null);
        assertEquals(
                "path element 0 must be 32 bytes",
                inclusion(3, 11, nullElement, root).reason());
        assertEquals(
                "leaf hash must be 32 bytes",
                MerkleVerifier.verifyInclusion(3, 11, null, path, root).reason());
    }

    @Test
    void singleLeafTreeNeedsAnEmptyPath() {
        byte[] root = MerkleTree.root(1, tree);
        assertTrue(MerkleVerifier.verifyInclusion(0, 1, leaves.get(0), List.of(), root)
                .passed());
        assertEquals(
                "path too long",
                MerkleVerifier.verifyInclusion(0, 1, leaves.get(0), List.of(leaves.get(1)), root)
                        .reason());
    }

    @Test
    void consistencyFailuresSayWhy() {
        byte[] oldRoot = MerkleTree.root(6, tree);
        byte[] newRoot = MerkleTree.root(11, tree);
        List<byte[]> path = MerkleTree.consistencyPath(6, 11, tree);
        assertTrue(
                MerkleVerifier.verifyConsistency(6, 11, oldRoot, newRoot, path).passed());

        assertEquals(
                "old tree size must be > 0",
                MerkleVerifier.verifyConsistency(0, 11, oldRoot, newRoot, path).reason());
        assertEquals(
                "old tree size > new tree size",
                MerkleVerifier.verifyConsistency(12, 11, oldRoot, newRoot, path).reason());
        assertEquals(
                "empty path",
                MerkleVerifier.verifyConsistency(6, 11, oldRoot, newRoot, List.of())
                        .reason());
        assertEquals(
                "old root mismatch",
                MerkleVerifier.verifyConsistency(6, 11, newRoot, newRoot, path).reason());
        assertEquals(
                "new root mismatch",
                MerkleVerifier.verifyConsistency(6, 11, oldRoot, oldRoot, path).reason());
        List<byte[]> longer = new ArrayList<>(path);
        longer.add(new byte[32]);
        assertEquals(
                "path too long",
                MerkleVerifier.verifyConsistency(6, 11, oldRoot, newRoot, longer)
                        .reason());
        assertEquals(
                "path too short",
                MerkleVerifier.verifyConsistency(6, 11, oldRoot, newRoot, path.subList(0, path.size() - 1))
                        .reason());

        assertTrue(MerkleVerifier.verifyConsistency(11, 11, newRoot, newRoot, List.of())
                .passed());
        assertEquals(
                "path must be empty for equal tree sizes",
                MerkleVerifier.verifyConsistency(11, 11, newRoot, newRoot, path).reason());
        assertEquals(
                "root mismatch",
                MerkleVerifier.verifyConsistency(11, 11, oldRoot, newRoot, List.of())
                        .reason());
    }

    @Test
    void neverThrowsOnGarbage() {
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 5000; i++) {
            List<byte[]> path = new ArrayList<>();
            int length = random.nextInt(70);
            for (int j = 0; j < length; j++) {
                path.add(random.nextInt(50) == 0 ? new byte[random.nextInt(40)] : leaves.get(random.nextInt(11)));
            }
            long a = random.nextLong() >> random.nextInt(64);
            long b = random.nextLong() >> random.nextInt(64);
            MerkleVerifier.verifyInclusion(a, b, leaves.get(0), path, leaves.get(1));
            MerkleVerifier.verifyConsistency(a, b, leaves.get(0), leaves.get(1), path);
        }
    }
}
