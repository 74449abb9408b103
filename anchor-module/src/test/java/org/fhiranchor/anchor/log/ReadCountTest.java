package org.fhiranchor.anchor.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Proofs must cost O(log n) reads of the node store, since each read is a database round trip. */
class ReadCountTest {

    private static final long SIZE = 1_000_000;
    private static final double LOG2_SIZE = Math.log(SIZE) / Math.log(2); // about 19.93

    private static InMemorySubtreeHashes tree;

    /** A store that answers only batched reads, as one database query each. */
    private static final class BatchOnlyStore implements SubtreeHashes {
        private final SubtreeHashes inner;
        private int batches;
        private int nodes;

        BatchOnlyStore(SubtreeHashes inner) {
            this.inner = inner;
        }

        @Override
        public byte[] get(int level, long index) {
            throw new AssertionError("single-node read of (" + level + ", " + index + ")");
        }

        @Override
        public List<byte[]> getAll(List<NodeCoordinate> coordinates) {
            batches++;
            nodes += coordinates.size();
            List<byte[]> hashes = new java.util.ArrayList<>();
            for (NodeCoordinate c : coordinates) {
                hashes.add(inner.get(c.level(), c.index()));
            }
            return hashes;
        }
    }

    @BeforeAll
    static void appendAMillionLeaves() {
        tree = new InMemorySubtreeHashes();
        ByteBuffer buffer = ByteBuffer.allocate(8);
        for (long i = 0; i < SIZE; i++) {
            tree.append(MerkleHash.leaf(buffer.clear().putLong(i).array()));
        }
    }

    @Test
    void inclusionProofsReadAtMostTwiceLog2N() {
        byte[] root = MerkleTree.root(SIZE, tree);
        Random random = new Random(7);
        long[] indexes = {0, 1, SIZE / 2, SIZE - 2, SIZE - 1, 524_287, 524_288, 999_424};
        for (int round = 0; round < indexes.length + 200; round++) {
            long index = round < indexes.length ? indexes[round] : (long) (random.nextDouble() * SIZE);
            CountingSubtreeHashes store = new CountingSubtreeHashes(tree);
            List<byte[]> path = MerkleTree.inclusionPath(index, SIZE, store);
            assertTrue(store.reads <= 2 * LOG2_SIZE, "index " + index + " took " + store.reads + " reads");
            byte[] leafHash =
                    MerkleHash.leaf(ByteBuffer.allocate(8).putLong(index).array());
            assertTrue(MerkleVerifier.verifyInclusion(index, SIZE, leafHash, path, root)
                    .passed());
        }
    }

    @Test
    void consistencyProofsAndRootsReadAtMostTwiceLog2N() {
        Random random = new Random(11);
        for (int round = 0; round < 200; round++) {
            long oldSize = 1 + (long) (random.nextDouble() * (SIZE - 1));
            CountingSubtreeHashes store = new CountingSubtreeHashes(tree);
            List<byte[]> proof = MerkleTree.consistencyPath(oldSize, SIZE, store);
            assertTrue(store.reads <= 2 * LOG2_SIZE, "m=" + oldSize + " took " + store.reads + " reads");
            assertTrue(MerkleVerifier.verifyConsistency(
                            oldSize, SIZE, MerkleTree.root(oldSize, tree), MerkleTree.root(SIZE, tree), proof)
                    .passed());
        }
        CountingSubtreeHashes store = new CountingSubtreeHashes(tree);
        byte[] root = MerkleTree.root(SIZE, store);
        assertTrue(store.reads == Long.bitCount(SIZE), "root reads one node per set bit of the size");
        assertArrayEquals(tree.root(), root);
    }

    @Test
    void everyProofAndRootIsOneBatchedReadWithTheSameResult() {
        Random random = new Random(13);
        for (int round = 0; round < 200; round++) {
            long size = 1 + (long) (random.nextDouble() * SIZE);
            long index = (long) (random.nextDouble() * size);
            BatchOnlyStore batched = new BatchOnlyStore(tree);
            List<byte[]> path = MerkleTree.inclusionPath(index, size, batched);
            assertTrue(batched.batches <= 1 && batched.nodes <= 2 * LOG2_SIZE, "inclusion " + index + "/" + size);
            assertEquals(
                    MerkleTree.inclusionPath(index, size, tree).stream()
                            .map(HexFormat.of()::formatHex)
                            .toList(),
                    path.stream().map(HexFormat.of()::formatHex).toList());
            long oldSize = 1 + (long) (random.nextDouble() * size);
            batched = new BatchOnlyStore(tree);
            List<byte[]> consistency = MerkleTree.consistencyPath(oldSize, size, batched);
            assertTrue(batched.batches <= 1, "consistency " + oldSize + "/" + size);
            assertEquals(
                    MerkleTree.consistencyPath(oldSize, size, (level, i) -> tree.get(level, i)).stream()
                            .map(HexFormat.of()::formatHex)
                            .toList(),
                    consistency.stream().map(HexFormat.of()::formatHex).toList());
            batched = new BatchOnlyStore(tree);
            assertArrayEquals(MerkleTree.root(size, (level, i) -> tree.get(level, i)), MerkleTree.root(size, batched));
            assertEquals(1, batched.batches);
            batched = new BatchOnlyStore(tree);
            assertArrayEquals(
                    MerkleTree.root(size, tree),
                    CompactRange.restore(size, batched).root());
            assertEquals(1, batched.batches);
        }
    }
}
