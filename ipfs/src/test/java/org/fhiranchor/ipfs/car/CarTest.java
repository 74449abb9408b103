package org.fhiranchor.ipfs.car;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import org.fhiranchor.ipfs.cid.Block;
import org.fhiranchor.ipfs.cid.BlockHashMismatchException;
import org.fhiranchor.ipfs.cid.Cid;
import org.fhiranchor.ipfs.cid.Multicodec;
import org.fhiranchor.ipfs.unixfs.BlockSource;
import org.fhiranchor.ipfs.unixfs.ImportParams;
import org.fhiranchor.ipfs.unixfs.ImportResult;
import org.fhiranchor.ipfs.unixfs.UnixFsImporter;
import org.fhiranchor.ipfs.unixfs.UnixFsReader;
import org.junit.jupiter.api.Test;

/**
 * CAR v1 per the IPLD CARv1 spec. The writer, reader and export order were also checked once against a CAR
 * written by Kubo (ipfs/kubo test/cli/fixtures/TestGatewayMultiRange.car, a raw-leaves file of 20 blocks): it
 * reads with every block verified, and re-exporting its root from those blocks reproduces the file byte for byte.
 * The fixture is not committed.
 */
class CarTest {
    private final Map<Cid, Block> blocks = new HashMap<>();
    private final BlockSource source = cid -> {
        Block block = blocks.get(cid);
        if (block == null) {
            throw new NoSuchElementException(cid.toString());
        }
        return block;
    };

    @Test
    void headerBytesAreCanonicalDagCbor() throws IOException {
        Cid hello = Cid.sha256(Multicodec.RAW, "hello world".getBytes(StandardCharsets.US_ASCII));
        byte[] header = new CarHeader(List.of(hello)).encode();
        // {"roots": [42("\0" + cid)], "version": 1}, shortest-first keys, minimal lengths.
        String expected = "a2" + "65726f6f7473" + "81" + "d82a" + "5825" + "00"
                + HexFormat.of().formatHex(hello.bytes()) + "6776657273696f6e" + "01";
        assertEquals(expected, HexFormat.of().formatHex(header));
        assertEquals(List.of(hello), CarHeader.decode(header).roots());
    }

    @Test
    void exportThenReadBackAFileOfManyBlocks() throws IOException {
        byte[] content = new byte[3 * 262_144 + 17];
        new Random(1).nextBytes(content);
        ImportResult imported = new UnixFsImporter(ImportParams.KUBO_CIDV1_RAW_256K)
                .importFile(new ByteArrayInputStream(content), b -> blocks.put(b.cid(), b));

        ByteArrayOutputStream car = new ByteArrayOutputStream();
        assertEquals(5, CarExporter.export(imported.root(), source, car));

        CarReader reader = new CarReader(new ByteArrayInputStream(car.toByteArray()));
        assertEquals(List.of(imported.root()), reader.roots());
        Map<Cid, Block> fresh = new HashMap<>();
        Block block;
        Block first = null;
        while ((block = reader.next()) != null) {
            first = first == null ? block : first;
            fresh.put(block.cid(), block);
        }
        assertEquals(imported.root(), first.cid(), "root first: depth-first pre-order");
        assertEquals(blocks.keySet(), fresh.keySet());
        assertArrayEquals(content, UnixFsReader.readAll(imported.root(), fresh::get));
    }

    @Test
    void duplicateBlocksAreWrittenOnce() throws IOException {
        ImportResult imported = new UnixFsImporter(ImportParams.KUBO_CIDV1_RAW_256K)
                .importFile(new ByteArrayInputStream(new byte[4 * 262_144]), b -> blocks.put(b.cid(), b));
        assertEquals(2, CarExporter.export(imported.root(), source, new ByteArrayOutputStream()));
    }

    @Test
    void tamperedBlockIsRejected() throws IOException {
        Block block = Block.of(Multicodec.RAW, "archive payload".getBytes(StandardCharsets.US_ASCII));
        blocks.put(block.cid(), block);
        ByteArrayOutputStream car = new ByteArrayOutputStream();
        CarExporter.export(block.cid(), source, car);
        byte[] bytes = car.toByteArray();
        bytes[bytes.length - 1] ^= 1;
        CarReader reader = new CarReader(new ByteArrayInputStream(bytes));
        assertThrows(BlockHashMismatchException.class, reader::next);
    }

    @Test
    void truncatedOrForeignInputIsRejected() throws IOException {
        Block block = Block.of(Multicodec.RAW, new byte[100]);
        blocks.put(block.cid(), block);
        ByteArrayOutputStream car = new ByteArrayOutputStream();
        CarExporter.export(block.cid(), source, car);
        byte[] bytes = car.toByteArray();

        CarReader truncated = new CarReader(new ByteArrayInputStream(Arrays.copyOf(bytes, bytes.length - 1)));
        assertThrows(CarFormatException.class, truncated::next);
        assertThrows(CarFormatException.class, () -> new CarReader(new ByteArrayInputStream(Arrays.copyOf(bytes, 10))));
        assertThrows(
                CarFormatException.class, () -> new CarReader(new ByteArrayInputStream("{\"json\":1}".getBytes())));

        CarReader complete = new CarReader(new ByteArrayInputStream(bytes));
        complete.next();
        assertNull(complete.next());
    }

    @Test
    void versionTwoHeaderIsRefused() {
        // {"version": 2} with no roots: a CARv2 pragma-like header.
        byte[] header = HexFormat.of().parseHex("a16776657273696f6e02");
        assertThrows(CarFormatException.class, () -> CarHeader.decode(header));
    }
}
