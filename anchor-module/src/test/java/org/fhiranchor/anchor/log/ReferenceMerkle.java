package org.fhiranchor.anchor.log;

import java.util.ArrayList;
import java.util.List;

/**
 * The RFC 9162 section 2.1 definitions transcribed literally as recursion over the list of leaf hashes.
 * Slow and obviously right; the optimized code is checked against it.
 */
final class ReferenceMerkle {

    private ReferenceMerkle() {}

    /** MTH(D[n]) where the leaves are already hashed. */
    static byte[] mth(List<byte[]> leafHashes) {
        int n = leafHashes.size();
        if (n == 0) {
            return MerkleHash.emptyRoot();
        }
        if (n == 1) {
            return leafHashes.get(0);
        }
        int k = split(n);
        return MerkleHash.node(mth(leafHashes.subList(0, k)), mth(leafHashes.subList(k, n)));
    }

    /** PATH(m, D[n]). */
    static List<byte[]> path(int m, List<byte[]> leafHashes) {
        int n = leafHashes.size();
        List<byte[]> out = new ArrayList<>();
        if (n == 1) {
            return out;
        }
        int k = split(n);
        if (m < k) {
            out.addAll(path(m, leafHashes.subList(0, k)));
            out.add(mth(leafHashes.subList(k, n)));
        } else {
            out.addAll(path(m - k, leafHashes.subList(k, n)));
            out.add(mth(leafHashes.subList(0, k)));
        }
        return out;
    }

    /** PROOF(m, D[n]) = SUBPROOF(m, D[n], true). */
    static List<byte[]> proof(int m, List<byte[]> leafHashes) {
        return subproof(m, leafHashes, true);
    }

    private static List<byte[]> subproof(int m, List<byte[]> leafHashes, boolean b) {
        int n = leafHashes.size();
        List<byte[]> out = new ArrayList<>();
        if (m == n) {
            if (!b) {
                out.add(mth(leafHashes));
            }
            return out;
        }
        int k = split(n);
        if (m <= k) {
            out.addAll(subproof(m, leafHashes.subList(0, k), b));
            out.add(mth(leafHashes.subList(k, n)));
        } else {
            out.addAll(subproof(m - k, leafHashes.subList(k, n), false));
            out.add(mth(leafHashes.subList(0, k)));
        }
        return out;
    }

    /** The largest power of two smaller than n. */
    private static int split(int n) {
        int k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        return k;
    }
}
