package org.fhiranchor.anchor.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {

    private static final int MAX_SIZE = 70;

    static List<byte[]> leafHashes(int count) {
        List<byte[]> hashes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            hashes.add(MerkleHash.leaf(ByteBuffer.allocate(4).putInt(i).array()));
        }
        return hashes;
    }

    private static InMemorySubtreeHashes treeOf(List<byte[]> leafHashes) {
        InMemorySubtreeHashes tree = new InMemorySubtreeHashes();
        leafHashes.forEach(tree::append);
        return tree;
    }

    private static void assertSameHashes(List<byte[]> expected, List<byte[]> actual, String what) {
        assertEquals(expected.size(), actual.size(), what + ": length");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), what + ": element " + i);
        }
    }

    @Test
    void rootMatchesReferenceForEverySize() {
        List<byte[]> all = leafHashes(MAX_SIZE);
        InMemorySubtreeHashes tree = treeOf(all);
        assertArrayEquals(MerkleHash.emptyRoot(), MerkleTree.root(0, tree));
        for (int n = 1; n <= MAX_SIZE; n++) {
            assertArrayEquals(ReferenceMerkle.mth(all.subList(0, n)), MerkleTree.root(n, tree), "root of " + n);
        }
    }

    @Test
    void inclusionPathsMatchReferenceAndVerifyForEverySizeAndIndex() {
        List<byte[]> all = leafHashes(MAX_SIZE);
        InMemorySubtreeHashes tree = treeOf(all);
        for (int n = 1; n <= MAX_SIZE; n++) {
            byte[] root = ReferenceMerkle.mth(all.subList(0, n));
            for (int m = 0; m < n; m++) {
                List<byte[]> path = MerkleTree.inclusionPath(m, n, tree);
                assertSameHashes(ReferenceMerkle.path(m, all.subList(0, n)), path, "PATH(" + m + ", " + n + ")");
                CheckResult result = MerkleVerifier.verifyInclusion(m, n, all.get(m), path, root);
                assertTrue(result.passed(), "verify PATH(" + m + ", " + n + "): " + result.reason());
            }
        }
    }

    @Test
    void consistencyProofsMatchReferenceAndVerifyForEveryPairOfSizes() {
        List<byte[]> all = leafHashes(MAX_SIZE);
        InMemorySubtreeHashes tree = treeOf(all);
        for (int n = 1; n <= MAX_SIZE; n++) {
            byte[] newRoot = ReferenceMerkle.mth(all.subList(0, n));
            for (int m = 1; m <= n; m++) {
                List<byte[]> proof = MerkleTree.consistencyPath(m, n, tree);
                assertSameHashes(ReferenceMerkle.proof(m, all.subList(0, n)), proof, "PROOF(" + m + ", " + n + ")");
                byte[] oldRoot = ReferenceMerkle.mth(all.subList(0, m));
                CheckResult result = MerkleVerifier.verifyConsistency(m, n, oldRoot, newRoot, proof);
                assertTrue(result.passed(), "verify PROOF(" + m + ", " + n + "): " + result.reason());
            }
        }
    }

    @Test
    void consistencyProofsDoNotVerifyAgainstAnotherTree() {
        List<byte[]> all = leafHashes(MAX_SIZE);
        List<byte[]> forked = new ArrayList<>(all);
        forked.set(3, MerkleHash.leaf(new byte[] {42}));
        InMemorySubtreeHashes tree = treeOf(all);
        for (int n = 5; n <= 40; n++) {
            for (int m = 4; m < n; m++) {
                List<byte[]> proof = MerkleTree.consistencyPath(m, n, tree);
                byte[] forkedOldRoot = ReferenceMerkle.mth(forked.subList(0, m));
                CheckResult result = MerkleVerifier.verifyConsistency(
                        m, n, forkedOldRoot, ReferenceMerkle.mth(all.subList(0, n)), proof);
                assertTrue(!result.passed(), "a rewritten leaf must break consistency " + m + " -> " + n);
            }
        }
    }

    @Test
    void appenderReportsEachNodeWhenItsLastLeafArrives() {
        List<byte[]> all = leafHashes(MAX_SIZE);
        CompactRange range = CompactRange.empty();
        for (int i = 0; i < MAX_SIZE; i++) {
            List<SubtreeNode> completed = range.append(all.get(i));
            // Node (k, j) completes exactly when leaf (j + 1) * 2^k - 1 arrives.
            int expectedCount = Integer.numberOfTrailingZeros(~i) + 1;
            assertEquals(expectedCount, completed.size(), "nodes completed by leaf " + i);
            for (int k = 0; k < completed.size(); k++) {
                SubtreeNode node = completed.get(k);
                assertEquals(k, node.level());
                assertEquals(i, (node.index() + 1) * (1L << k) - 1, "leaf completing " + node);
                int from = (int) (node.index() << k);
                assertArrayEquals(
                        ReferenceMerkle.mth(all.subList(from, from + (1 << k))), node.hash(), node.toString());
            }
            assertArrayEquals(ReferenceMerkle.mth(all.subList(0, i + 1)), range.root(), "root after leaf " + i);
        }
    }

    @Test
    void restoredRangeContinuesExactlyLikeTheOriginal() {
        List<byte[]> all = leafHashes(MAX_SIZE);
        InMemorySubtreeHashes tree = treeOf(all.subList(0, 37));
        CompactRange restored = CompactRange.restore(37, tree);
        assertEquals(37, restored.size());
        assertArrayEquals(MerkleTree.root(37, tree), restored.root());
        for (int i = 37; i < MAX_SIZE; i++) {
            restored.append(all.get(i));
        }
        assertArrayEquals(ReferenceMerkle.mth(all), restored.root());
        assertArrayEquals(MerkleHash.emptyRoot(), CompactRange.restore(0, tree).root());
    }

    @Test
    void rejectsImpossibleProofRequests() {
        InMemorySubtreeHashes tree = treeOf(leafHashes(5));
        assertThrows(IllegalArgumentException.class, () -> MerkleTree.inclusionPath(5, 5, tree));
        assertThrows(IllegalArgumentException.class, () -> MerkleTree.inclusionPath(-1, 5, tree));
        assertThrows(IllegalArgumentException.class, () -> MerkleTree.consistencyPath(0, 5, tree));
        assertThrows(IllegalArgumentException.class, () -> MerkleTree.consistencyPath(6, 5, tree));
        assertThrows(IllegalArgumentException.class, () -> MerkleTree.root(-1, tree));
        assertThrows(IllegalArgumentException.class, () -> tree.get(1, 2), "node (1, 2) is not complete at size 5");
    }
}
