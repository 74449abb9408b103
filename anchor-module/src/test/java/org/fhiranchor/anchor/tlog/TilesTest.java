package org.fhiranchor.anchor.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fhiranchor.anchor.log.InMemorySubtreeHashes;
import org.fhiranchor.anchor.log.MerkleHash;
import org.fhiranchor.anchor.log.MerkleTree;
import org.fhiranchor.anchor.log.MerkleVerifier;
import org.junit.jupiter.api.Test;

class TilesTest {

    @Test
    void pathsHaveOneSpelling() throws Exception {
        assertThat(new TilePath(0, 1234067, 256).path()).isEqualTo("tile/0/x001/x234/067");
        assertThat(new TilePath(1, 0, 17).path()).isEqualTo("tile/1/000.p/17");
        assertThat(new TilePath(TilePath.ENTRIES, 1000, 5).path()).isEqualTo("tile/entries/x001/000.p/5");
        for (TilePath tile : List.of(
                new TilePath(0, 1234067, 256),
                new TilePath(63, 999, 255),
                new TilePath(TilePath.ENTRIES, 0, 1),
                new TilePath(2, 1_000_000, 256))) {
            assertThat(TilePath.parse(tile.path())).isEqualTo(tile);
        }
        for (String bad : List.of(
                "tile/0/1",
                "tile/0/0001",
                "tile/00/000",
                "tile/64/000",
                "tile/0/x000/001",
                "tile/0/001/x234",
                "tile/0/000.p/0",
                "tile/0/000.p/256",
                "tile/0/000.p/07",
                "tile/0/000.p/",
                "tile/0/",
                "tile/entries",
                "tile/x/000",
                "tile/0/000.q/5",
                "tile/-1/000",
                "tile/0/x001/x002/x003/x004/x005/x006/x007/000",
                "tile/0/abc",
                "tiles/0/000")) {
            assertThatThrownBy(() -> TilePath.parse(bad)).as(bad).isInstanceOf(NoteFormatException.class);
        }
    }

    @Test
    void widthsFollowTheSpecsExample() {
        long size = 70_000;
        assertThat(Tiles.widthAt(0, 272, size)).isEqualTo(256);
        assertThat(Tiles.widthAt(0, 273, size)).isEqualTo(112);
        assertThat(Tiles.widthAt(0, 274, size)).isZero();
        assertThat(Tiles.widthAt(1, 0, size)).isEqualTo(256);
        assertThat(Tiles.widthAt(1, 1, size)).isEqualTo(17);
        assertThat(Tiles.widthAt(2, 0, size)).isEqualTo(1);
        assertThat(Tiles.widthAt(3, 0, size)).isZero();
        assertThat(Tiles.widthAt(1, 0, 256)).isEqualTo(1);
        assertThat(Tiles.widthAt(63, 0, Long.MAX_VALUE)).isZero();
        assertThat(Tiles.widthAt(0, Long.MAX_VALUE / 2, 1000)).isZero();
    }

    @Test
    void tileHashesAreTheSubtreeRootsTheSpecDefines() {
        int n = 256 * 256 + 300;
        InMemorySubtreeHashes store = new InMemorySubtreeHashes();
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] leaf = MerkleHash.leaf(new byte[] {(byte) i, (byte) (i >> 8), (byte) (i >> 16)});
            leaves.add(leaf);
            store.append(leaf);
        }
        // Level 0 tile 3: leaf hashes 768..1023.
        byte[] tile = Tiles.hashTile(new TilePath(0, 3, 256), store);
        assertThat(Arrays.copyOfRange(tile, 0, 32)).isEqualTo(leaves.get(768));
        assertThat(Arrays.copyOfRange(tile, 255 * 32, 256 * 32)).isEqualTo(leaves.get(1023));
        // Level 1 tile 0, hash i: MTH(D[256 i : 256 (i + 1)]); level 2 tile 0 (partial, width 1): MTH(D[0:65536]).
        byte[] level1 = Tiles.hashTile(new TilePath(1, 0, 256), store);
        assertThat(Arrays.copyOfRange(level1, 5 * 32, 6 * 32)).isEqualTo(root(leaves.subList(5 * 256, 6 * 256)));
        byte[] level2 = Tiles.hashTile(new TilePath(2, 0, 1), store);
        assertThat(level2).isEqualTo(MerkleTree.root(65_536, store));
        // A partial level 0 tile at the right edge.
        assertThat(Tiles.widthAt(0, 257, n)).isEqualTo(44);
        byte[] partial = Tiles.hashTile(new TilePath(0, 257, 44), store);
        assertThat(partial).hasSize(44 * 32);
        assertThat(Arrays.copyOfRange(partial, 43 * 32, 44 * 32)).isEqualTo(leaves.get(n - 1));
    }

    @Test
    void entryBundlesRoundTrip_andTruncationIsRejected() throws Exception {
        List<byte[]> entries = List.of(new byte[] {1, 2, 3}, new byte[0], new byte[300]);
        byte[] bundle = Tiles.entryBundle(entries);
        assertThat(bundle).startsWith(0, 3, 1, 2, 3, 0, 0, 1, 44);
        assertThat(Tiles.parseEntryBundle(bundle)).hasSize(3);
        assertThat(Tiles.parseEntryBundle(bundle).get(2)).hasSize(300);
        assertThatThrownBy(() -> Tiles.parseEntryBundle(Arrays.copyOf(bundle, bundle.length - 1)))
                .isInstanceOf(NoteFormatException.class);
        assertThatThrownBy(() -> Tiles.parseEntryBundle(new byte[] {0})).isInstanceOf(NoteFormatException.class);
    }

    @Test
    void tlogProofRoundTripsAndItsPathVerifies() throws Exception {
        InMemorySubtreeHashes store = new InMemorySubtreeHashes();
        List<byte[]> entries = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            entries.add(new byte[] {(byte) i});
            store.append(MerkleHash.leaf(entries.get(i)));
        }
        NoteSigner log = NoteSigner.fromSeed("log.example", NoteSigner.generateSeed());
        byte[] root = MerkleTree.root(11, store);
        SignedNote checkpoint = SignedNote.parse(log.sign(new TlogCheckpoint("log.example", 11, root).text()));
        TlogProof proof = new TlogProof(entries.get(6), 6, MerkleTree.inclusionPath(6, 11, store), checkpoint);
        TlogProof parsed = TlogProof.parse(proof.encoded());
        assertThat(parsed.encoded()).isEqualTo(proof.encoded());
        assertThat(parsed.checkpoint().verifiedBy(List.of(log.verifier()))).hasSize(1);
        assertThat(MerkleVerifier.verifyInclusion(
                                parsed.index(), 11, MerkleHash.leaf(parsed.extra()), parsed.path(), root)
                        .passed())
                .isTrue();
        for (String bad : List.of(
                "",
                proof.encoded().replace("index 6", "index 06"),
                proof.encoded().replace("c2sp.org/tlog-proof@v1", "c2sp.org/tlog-proof@v2"),
                proof.encoded().replaceFirst("\nindex 6\n[^\n]+\n", "\nindex 6\nAAAA\n"))) {
            assertThatThrownBy(() -> TlogProof.parse(bad)).as(bad).isInstanceOf(NoteFormatException.class);
        }
    }

    private static byte[] root(List<byte[]> leaves) {
        if (leaves.size() == 1) {
            return leaves.get(0);
        }
        int k = Integer.highestOneBit(leaves.size() - 1);
        return MerkleHash.node(root(leaves.subList(0, k)), root(leaves.subList(k, leaves.size())));
    }
}
