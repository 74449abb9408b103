package org.fhiranchor.anchor.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Known answers published with the Certificate Transparency Merkle code (transparency-dev/merkle,
 * testonly/constants.go and testonly/reference_test.go): the eight leaf inputs below, the root of every
 * prefix of them and some inclusion and consistency proofs. RFC 6962 and RFC 9162 hash trees identically,
 * so these pin our hashing and proof ordering to the ecosystem's.
 */
class CtKnownAnswerTest {

    private static final List<String> LEAF_INPUTS =
            List.of("", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f");

    /** Roots of the trees of size 0..8 over the leaf inputs. */
    private static final List<String> ROOTS = List.of(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    private static InMemorySubtreeHashes tree() {
        return InMemorySubtreeHashes.ofEntries(
                LEAF_INPUTS.stream().map(HexFormat.of()::parseHex).collect(Collectors.toList()));
    }

    private static List<byte[]> hashes(String... hex) {
        return Stream.of(hex).map(HexFormat.of()::parseHex).collect(Collectors.toList());
    }

    @Test
    void emptyTreeHashIsSha256OfTheEmptyString() {
        assertEquals(
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                HexFormat.of().formatHex(MerkleHash.emptyRoot()));
    }

    @Test
    void leafHashesAndRootsOfEveryPrefix() {
        assertEquals(
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                HexFormat.of().formatHex(MerkleHash.leaf(new byte[0])));
        assertEquals(
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                HexFormat.of().formatHex(MerkleHash.leaf(new byte[] {0})));
        InMemorySubtreeHashes tree = tree();
        for (int n = 0; n <= 8; n++) {
            assertEquals(ROOTS.get(n), HexFormat.of().formatHex(MerkleTree.root(n, tree)), "root of size " + n);
        }
    }

    @Test
    void publishedInclusionProofs() {
        checkInclusion(0, 1);
        checkInclusion(0, 2, "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7");
        checkInclusion(1, 2, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
        checkInclusion(2, 3, "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125");
        checkInclusion(
                1,
                5,
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
        checkInclusion(
                0,
                8,
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
        checkInclusion(
                5,
                8,
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
    }

    @Test
    void publishedConsistencyProofs() {
        checkConsistency(1, 1);
        checkConsistency(
                1,
                8,
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
        checkConsistency(
                2,
                5,
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
        checkConsistency(
                6,
                8,
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
    }

    private static void checkInclusion(int index, int size, String... expectedPath) {
        List<byte[]> path = MerkleTree.inclusionPath(index, size, tree());
        assertEquals(
                List.of(expectedPath),
                path.stream().map(HexFormat.of()::formatHex).collect(Collectors.toList()),
                "PATH(" + index + ", " + size + ")");
        byte[] leafHash = MerkleHash.leaf(HexFormat.of().parseHex(LEAF_INPUTS.get(index)));
        assertTrue(MerkleVerifier.verifyInclusion(
                        index,
                        size,
                        leafHash,
                        hashes(expectedPath),
                        HexFormat.of().parseHex(ROOTS.get(size)))
                .passed());
    }

    private static void checkConsistency(int oldSize, int newSize, String... expectedPath) {
        List<byte[]> path = MerkleTree.consistencyPath(oldSize, newSize, tree());
        assertEquals(
                List.of(expectedPath),
                path.stream().map(HexFormat.of()::formatHex).collect(Collectors.toList()),
                "PROOF(" + oldSize + ", " + newSize + ")");
        assertTrue(MerkleVerifier.verifyConsistency(
                        oldSize,
                        newSize,
                        HexFormat.of().parseHex(ROOTS.get(oldSize)),
                        HexFormat.of().parseHex(ROOTS.get(newSize)),
                        hashes(expectedPath))
                .passed());
    }

    @Test
    void storedSubtreeHashesMatchPublishedNodes() {
        InMemorySubtreeHashes tree = tree();
        assertArrayEquals(
                HexFormat.of().parseHex("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                tree.get(1, 1));
        assertArrayEquals(
                HexFormat.of().parseHex("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
                tree.get(2, 1));
        assertArrayEquals(
                HexFormat.of().parseHex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
                tree.get(3, 0));
    }
}
