package org.fhiranchor.ipfs.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.fhiranchor.ipfs.car.CarWriter;
import org.fhiranchor.ipfs.cid.Block;
import org.fhiranchor.ipfs.cid.BlockHashMismatchException;
import org.fhiranchor.ipfs.cid.Cid;
import org.fhiranchor.ipfs.cid.Multicodec;
import org.fhiranchor.ipfs.unixfs.PbNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreTest {
    private static final int CHUNK = 262_144;

    @TempDir
    Path dir;

    @Test
    void addGivesKuboCidAndCatGivesBytesBack() throws IOException {
        ContentStore store = ContentStore.open(dir);
        Cid cid = store.add(new ByteArrayInputStream("hello world".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Cid.parse("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e"), cid);
        assertEquals("hello world", new String(store.catBytes(cid), StandardCharsets.US_ASCII));
        assertTrue(store.isPinned(cid));
    }

    @Test
    void carExportImportsIntoAFreshStoreWithTheSameBytes() throws IOException {
        byte[] content = randomBytes(174 * CHUNK + 1, 3);
        ContentStore origin = ContentStore.open(dir.resolve("origin"));
        Cid root = origin.add(new ByteArrayInputStream(content));
        ByteArrayOutputStream car = new ByteArrayOutputStream();
        assertEquals(178, origin.exportCar(root, car)); // root, 2 interior nodes, 174 + 1 leaves

        ContentStore copy = ContentStore.open(dir.resolve("copy"));
        assertEquals(List.of(root), copy.importCar(new ByteArrayInputStream(car.toByteArray())));
        assertTrue(copy.isPinned(root));
        try (InputStream in = copy.cat(root)) {
            assertArrayEquals(content, in.readAllBytes());
        }
    }

    @Test
    void importOfAnIncompleteDagFails() throws IOException {
        ContentStore origin = ContentStore.open(dir.resolve("origin"));
        Cid root = origin.add(new ByteArrayInputStream(randomBytes(2 * CHUNK, 4)));
        // A CAR that carries only the root node, not its leaves.
        ByteArrayOutputStream car = new ByteArrayOutputStream();
        new CarWriter(car, List.of(root)).put(origin.blocks().get(root));

        ContentStore copy = ContentStore.open(dir.resolve("copy"));
        assertThrows(BlockNotFoundException.class, () -> copy.importCar(new ByteArrayInputStream(car.toByteArray())));
        assertFalse(copy.isPinned(root));
        assertEquals(2, PbNode.decode(copy.blocks().get(root).data()).links().size());
    }

    @Test
    void tamperedBlockOnDiskIsRejectedOnRead() throws IOException {
        FileBlockStore blocks = new FileBlockStore(dir);
        Block block = Block.of(Multicodec.RAW, "encrypted bundle".getBytes(StandardCharsets.US_ASCII));
        blocks.put(block);
        assertArrayEquals(block.data(), blocks.get(block.cid()).data());

        Files.write(blocks.pathOf(block.cid()), "Encrypted bundle".getBytes(StandardCharsets.US_ASCII));
        assertThrows(BlockHashMismatchException.class, () -> blocks.get(block.cid()));
    }

    @Test
    void tamperedLeafFailsCat() throws IOException {
        ContentStore store = ContentStore.open(dir);
        Cid root = store.add(new ByteArrayInputStream(randomBytes(CHUNK + 10, 5)));
        FileBlockStore blocks = (FileBlockStore) store.blocks();
        Cid secondLeaf = PbNode.decode(blocks.get(root).data()).links().get(1).hash();
        Files.write(blocks.pathOf(secondLeaf), new byte[10]);
        assertThrows(BlockHashMismatchException.class, () -> store.catBytes(root));
    }

    @Test
    void missingBlockIsReportedAsSuch() throws IOException {
        FileBlockStore blocks = new FileBlockStore(dir);
        Cid absent = Cid.sha256(Multicodec.RAW, new byte[] {42});
        assertFalse(blocks.has(absent));
        assertThrows(BlockNotFoundException.class, () -> blocks.get(absent));
    }

    @Test
    void writesLeaveNoTempFilesAndCrashLeftoversAreSweptOnOpen() throws IOException {
        FileBlockStore blocks = new FileBlockStore(dir);
        Block block = Block.of(Multicodec.RAW, new byte[] {1, 2, 3});
        blocks.put(block);
        blocks.put(block); // idempotent
        Path shard = blocks.pathOf(block.cid()).getParent();
        assertEquals(dir, shard.getParent());
        try (Stream<Path> files = Files.list(shard)) {
            assertEquals(List.of(blocks.pathOf(block.cid())), files.toList());
        }

        // A crash between write and rename leaves only a temp file, which is never taken for a block.
        Path halfWritten = shard.resolve(AtomicFiles.TEMP_PREFIX + "123");
        Files.write(halfWritten, new byte[] {1});
        new FileBlockStore(dir);
        assertFalse(Files.exists(halfWritten));
        assertTrue(blocks.has(block.cid()));
    }

    @Test
    void pinsPersistAcrossReopen() throws IOException {
        ContentStore store = ContentStore.open(dir);
        Cid a = store.add(new ByteArrayInputStream(new byte[] {1}));
        Cid b = store.add(new ByteArrayInputStream(new byte[] {2}));
        assertTrue(store.unpin(a));
        assertFalse(store.unpin(a));

        ContentStore reopened = ContentStore.open(dir);
        assertEquals(Set.of(b), reopened.pins());
        reopened.pin(a);
        assertEquals(Set.of(a, b), ContentStore.open(dir).pins());
        assertThrows(BlockNotFoundException.class, () -> reopened.pin(Cid.sha256(Multicodec.RAW, new byte[] {9})));
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
