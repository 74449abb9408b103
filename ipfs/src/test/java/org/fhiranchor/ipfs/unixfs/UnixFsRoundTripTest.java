package org.fhiranchor.ipfs.unixfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.fhiranchor.ipfs.cid.Block;
import org.fhiranchor.ipfs.cid.Cid;
import org.fhiranchor.ipfs.cid.Multicodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnixFsRoundTripTest {
    private static final int CHUNK = 262_144;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 174 * CHUNK, 174 * CHUNK + 1})
    void importThenReadGivesTheSameBytes(int size) throws IOException {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        MapBlockSource store = new MapBlockSource();
        ImportResult result = new UnixFsImporter(ImportParams.KUBO_CIDV1_RAW_256K)
                .importFile(new ByteArrayInputStream(content), store);

        assertEquals(size, result.fileSize());
        assertEquals(store.blocks.size(), result.blockCount());
        assertArrayEquals(content, UnixFsReader.readAll(result.root(), store));
        // A file of at most one chunk is a single raw block; anything longer has a dag-pb root.
        assertEquals(
                size <= CHUNK ? Multicodec.RAW : Multicodec.DAG_PB,
                result.root().codec());
        for (Block block : store.blocks.values()) {
            assertTrue(block.size() <= CHUNK, "no block exceeds the chunk size");
        }
    }

    @Test
    void layoutIsBalancedWith174Links() throws IOException {
        MapBlockSource store = new MapBlockSource();
        ImportResult result = new UnixFsImporter(ImportParams.KUBO_CIDV1_RAW_256K)
                .importFile(new ByteArrayInputStream(new byte[174 * CHUNK + 1]), store);
        PbNode root = PbNode.decode(store.get(result.root()).data());
        assertEquals(2, root.links().size());
        PbNode full = PbNode.decode(store.get(root.links().get(0).hash()).data());
        assertEquals(174, full.links().size());
        UnixFsData rootData = UnixFsData.decode(root.data());
        assertEquals(List.of(174L * CHUNK, 1L), rootData.blockSizes());
        assertEquals(174L * CHUNK + 1, rootData.fileSize());
        assertNull(rootData.data());
        // Tsize of the first link = the full node's bytes + 174 chunks.
        long fullNodeBytes = store.get(root.links().get(0).hash()).size();
        assertEquals(fullNodeBytes + 174L * CHUNK, root.links().get(0).cumulativeSize());
        // Identical zero chunks dedupe to one raw block: root, full node, second node, one zero leaf... plus the
        // 1-byte leaf (also zero, but a different length) => 5 distinct blocks.
        assertEquals(5, store.blocks.size());
    }

    @Test
    void linksPrecedeDataOnTheWire() {
        Cid child = Cid.sha256(Multicodec.RAW, new byte[] {1});
        byte[] encoded = new PbNode(List.of(new PbLink(child, "", 1)), new byte[] {8, 2}).encode();
        assertEquals(0x12, encoded[0] & 0xff, "field 2 (Links) first");
        assertEquals(0x0a, encoded[encoded.length - 4] & 0xff, "field 1 (Data) last");
        assertEquals(
                new PbNode(List.of(new PbLink(child, "", 1)), new byte[] {8, 2}).links(),
                PbNode.decode(encoded).links());
    }

    @Test
    void readerRejectsADagThatLiesAboutItsSize() throws IOException {
        MapBlockSource store = new MapBlockSource();
        Block leaf = Block.of(Multicodec.RAW, new byte[] {1, 2, 3});
        store.put(leaf);
        byte[] lyingRoot = new PbNode(
                        List.of(new PbLink(leaf.cid(), "", 3)),
                        UnixFsData.fileInterior(List.of(4L)).encode())
                .encode();
        Block root = Block.of(Multicodec.DAG_PB, lyingRoot);
        store.put(root);
        assertThrows(MalformedNodeException.class, () -> UnixFsReader.readAll(root.cid(), store));
    }

    @Test
    void malformedProtobufIsRejected() {
        assertThrows(MalformedNodeException.class, () -> PbNode.decode(new byte[] {0x0a, 0x05, 1}));
        assertThrows(MalformedNodeException.class, () -> PbNode.decode(new byte[] {0x0d, 0, 0, 0, 0}));
    }
}
