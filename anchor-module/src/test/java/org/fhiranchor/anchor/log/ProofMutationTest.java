package org.fhiranchor.anchor.log;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Seeded tampering with raw RFC 9162 proofs: every untouched proof verifies, no tampered one does. */
class ProofMutationTest {

    private static final int SIZE = 90;
    private final List<byte[]> leaves = MerkleTreeTest.leafHashes(SIZE);
    private final InMemorySubtreeHashes tree = new InMemorySubtreeHashes();

    {
        leaves.forEach(tree::append);
    }

    private byte[] root(long size) {
        return MerkleTree.root(size, tree);
    }

    @Test
    void tamperedInclusionProofsFail() {
        Random random = new Random(1);
        for (int iteration = 0; iteration < 4000; iteration++) {
            long n = 1 + random.nextInt(SIZE);
            long m = random.nextInt((int) n);
            List<byte[]> path = MerkleTree.inclusionPath(m, n, tree);
            assertTrue(MerkleVerifier.verifyInclusion(m, n, leaves.get((int) m), path, root(n))
                    .passed());

            long index = m;
            long size = n;
            byte[] leaf = leaves.get((int) m).clone();
            byte[] root = root(n);
            int kind = random.nextInt(7);
            switch (kind) {
                case 0 -> index = other(m, SIZE + 2, random);
                // The tree size is bound only through its root (RFC 9162 paths have the same shape for
                // many sizes), so a changed size is paired with that size's true root. ProofVerifier gets
                // the pair from the chain.
                case 1 -> size = 1 + other(n - 1, SIZE, random);
                case 2 -> flip(leaf, random);
                case 3 -> flip(root, random);
                default -> {
                    if (!mutatePath(path, random, kind)) {
                        continue;
                    }
                }
            }
            byte[] expectedRoot = kind == 1 ? root(size) : root;
            assertFalse(
                    MerkleVerifier.verifyInclusion(index, size, leaf, path, expectedRoot)
                            .passed(),
                    "mutation " + kind + " of PATH(" + m + ", " + n + ")");
        }
    }

    @Test
    void tamperedConsistencyProofsFail() {
        Random random = new Random(2);
        for (int iteration = 0; iteration < 4000; iteration++) {
            long n = 2 + random.nextInt(SIZE - 1);
            long m = 1 + random.nextInt((int) n - 1);
            List<byte[]> path = MerkleTree.consistencyPath(m, n, tree);
            assertTrue(MerkleVerifier.verifyConsistency(m, n, root(m), root(n), path)
                    .passed());

            long oldSize = m;
            long newSize = n;
            byte[] oldRoot = root(m);
            byte[] newRoot = root(n);
            int kind = random.nextInt(7);
            switch (kind) {
                case 0 -> {
                    oldSize = 1 + other(m - 1, (int) n, random);
                    oldRoot = root(oldSize);
                }
                case 1 -> {
                    newSize = 1 + other(n - 1, SIZE, random);
                    newRoot = root(newSize);
                    if (newSize < oldSize) {
                        continue;
                    }
                }
                case 2 -> flip(oldRoot, random);
                case 3 -> flip(newRoot, random);
                default -> {
                    if (!mutatePath(path, random, kind)) {
                        continue;
                    }
                }
            }
            assertFalse(
                    MerkleVerifier.verifyConsistency(oldSize, newSize, oldRoot, newRoot, path)
                            .passed(),
                    "mutation " + kind + " of PROOF(" + m + ", " + n + ")");
        }
    }

    /** Kinds 4..6: flip a bit in an element, drop one, add one, or swap two distinct ones. */
    private static boolean mutatePath(List<byte[]> path, Random random, int kind) {
        if (path.isEmpty() && kind != 6) {
            return false;
        }
        switch (kind) {
            case 4 -> flip(path.get(random.nextInt(path.size())), random);
            case 5 -> {
                if (path.size() >= 2 && random.nextBoolean()) {
                    int a = random.nextInt(path.size());
                    int b = (a + 1 + random.nextInt(path.size() - 1)) % path.size();
                    if (Arrays.equals(path.get(a), path.get(b))) {
                        return false;
                    }
                    byte[] tmp = path.get(a);
                    path.set(a, path.get(b));
                    path.set(b, tmp);
                } else {
                    path.remove(random.nextInt(path.size()));
                }
            }
            default -> {
                byte[] extra = new byte[32];
                random.nextBytes(extra);
                path.add(random.nextInt(path.size() + 1), extra);
            }
        }
        return true;
    }

    private static void flip(byte[] bytes, Random random) {
        bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
    }

    private static long other(long value, int bound, Random random) {
        long other;
        do {
            other = random.nextInt(bound);
        } while (other == value);
        return other;
    }

    @Test
    void pathsAreDefensiveCopies() {
        List<byte[]> path = new ArrayList<>(MerkleTree.inclusionPath(3, 9, tree));
        flip(path.get(0), new Random(3));
        assertTrue(
                MerkleVerifier.verifyInclusion(3, 9, leaves.get(3), MerkleTree.inclusionPath(3, 9, tree), root(9))
                        .passed(),
                "mutating a returned path must not change the store");
    }
}
