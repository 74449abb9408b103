package org.fhiranchor.ipfs.unixfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkedBytesTest {

    @Test
    void keepsEveryByteInOrderAcrossChunkBoundaries() throws IOException {
        byte[] content = new byte[3 * ChunkedBytes.CHUNK_BYTES + 17];
        new Random(1).nextBytes(content);
        ChunkedBytes chunked = new ChunkedBytes();
        chunked.write(content[0]);
        for (int offset = 1, step = 1; offset < content.length; offset += step, step = step * 7 % 70_001 + 1) {
            chunked.write(content, offset, Math.min(step, content.length - offset));
        }
        chunked.close();

        assertEquals(content.length, chunked.size());
        assertArrayEquals(content, chunked.toByteArray());
        assertArrayEquals(content, chunked.newInputStream().readAllBytes());
        assertArrayEquals(content, chunked.newInputStream().readAllBytes(), "each stream starts at the beginning");
        assertEquals(4, chunked.chunks().size());
        assertTrue(chunked.chunks().stream().allMatch(chunk -> chunk.length <= ChunkedBytes.CHUNK_BYTES));
        assertEquals(17, chunked.chunks().get(3).length, "the last chunk is exactly as long as its content");
    }

    @Test
    void hashesToTheSameCidAsTheSameBytesInOneArray() throws IOException {
        byte[] content = new byte[600_000]; // three UnixFS chunks
        new Random(2).nextBytes(content);
        UnixFsImporter importer = new UnixFsImporter(ImportParams.KUBO_CIDV1_RAW_256K);

        assertEquals(
                importer.computeCid(new ByteArrayInputStream(content)),
                importer.computeCid(ChunkedBytes.of(content).newInputStream()));
    }

    @Test
    void isWrittenThenRead() {
        ChunkedBytes open = new ChunkedBytes();
        open.write(new byte[] {1, 2, 3}, 0, 3);
        assertThrows(IllegalStateException.class, open::newInputStream, "not readable while written");
        open.close();
        assertThrows(IllegalStateException.class, () -> open.write(4), "not writable once closed");

        ChunkedBytes empty = ChunkedBytes.of(new byte[0]);
        assertEquals(0, empty.size());
        assertEquals(0, empty.chunks().size());
        assertArrayEquals(new byte[0], empty.toByteArray());
    }
}
