package org.fhiranchor.anchor.log;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Proof verification exactly as RFC 9162 sections 2.1.3.2 and 2.1.4.2 describe it. Never throws for bad
 * input: a malformed proof is a failed proof, with the reason.
 */
public final class MerkleVerifier {

    private MerkleVerifier() {}

    /** RFC 9162 section 2.1.3.2. */
    public static CheckResult verifyInclusion(
            long leafIndex, long treeSize, byte[] leafHash, List<byte[]> path, byte[] root) {
        CheckResult shape = checkHashes(path, "leaf hash", leafHash, "root", root);
        if (!shape.passed()) {
            return shape;
        }
        if (leafIndex < 0 || treeSize < 0) {
            return CheckResult.fail("negative leaf index or tree size");
        }
        if (leafIndex >= treeSize) {
            return CheckResult.fail("leaf index >= tree size");
        }
        long fn = leafIndex;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : path) {
            if (sn == 0) {
                return CheckResult.fail("path too long");
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = MerkleHash.node(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                r = MerkleHash.node(r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) {
            return CheckResult.fail("path too short");
        }
        if (!Arrays.equals(r, root)) {
            return CheckResult.fail("root mismatch");
        }
        return CheckResult.pass();
    }

    /**
     * RFC 9162 section 2.1.4.2 for 0 < m < n. For m == n the proof must be empty and the roots equal;
     * m == 0 is rejected because RFC 9162 defines no proof from the empty tree.
     */
    public static CheckResult verifyConsistency(
            long oldSize, long newSize, byte[] oldRoot, byte[] newRoot, List<byte[]> path) {
        CheckResult shape = checkHashes(path, "old root", oldRoot, "new root", newRoot);
        if (!shape.passed()) {
            return shape;
        }
        if (oldSize <= 0) {
            return CheckResult.fail("old tree size must be > 0");
        }
        if (oldSize > newSize) {
            return CheckResult.fail("old tree size > new tree size");
        }
        if (oldSize == newSize) {
            if (!path.isEmpty()) {
                return CheckResult.fail("path must be empty for equal tree sizes");
            }
            return Arrays.equals(oldRoot, newRoot) ? CheckResult.pass() : CheckResult.fail("root mismatch");
        }
        if (path.isEmpty()) {
            return CheckResult.fail("empty path");
        }
        List<byte[]> c = new ArrayList<>(path);
        if (Long.bitCount(oldSize) == 1) {
            c.add(0, oldRoot);
        }
        long fn = oldSize - 1;
        long sn = newSize - 1;
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        byte[] fr = c.get(0);
        byte[] sr = c.get(0);
        for (int i = 1; i < c.size(); i++) {
            byte[] value = c.get(i);
            if (sn == 0) {
                return CheckResult.fail("path too long");
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = MerkleHash.node(value, fr);
                sr = MerkleHash.node(value, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                sr = MerkleHash.node(sr, value);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) {
            return CheckResult.fail("path too short");
        }
        if (!Arrays.equals(fr, oldRoot)) {
            return CheckResult.fail("old root mismatch");
        }
        if (!Arrays.equals(sr, newRoot)) {
            return CheckResult.fail("new root mismatch");
        }
        return CheckResult.pass();
    }

    private static CheckResult checkHashes(
            List<byte[]> path, String firstName, byte[] first, String secondName, byte[] second) {
        if (path == null) {
            return CheckResult.fail("missing path");
        }
        if (first == null || first.length != MerkleHash.LENGTH) {
            return CheckResult.fail(firstName + " must be 32 bytes");
        }
        if (second == null || second.length != MerkleHash.LENGTH) {
            return CheckResult.fail(secondName + " must be 32 bytes");
        }
        for (int i = 0; i < path.size(); i++) {
            byte[] element = path.get(i);
            if (element == null || element.length != MerkleHash.LENGTH) {
                return CheckResult.fail("path element " + i + " must be 32 bytes");
            }
        }
        if (path.size() > 64) {
            return CheckResult.fail("path too long");
        }
        return CheckResult.pass();
    }
}
