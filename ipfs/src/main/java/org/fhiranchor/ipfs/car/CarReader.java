package org.fhiranchor.ipfs.car;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import org.fhiranchor.ipfs.cid.Block;
import org.fhiranchor.ipfs.cid.Cid;
import org.fhiranchor.ipfs.cid.Varint;

/**
 * Reads a CAR v1 stream section by section. Every block is hash-checked before it is returned, so a CAR can be
 * imported from an untrusted source: a tampered block raises
 * {@link org.fhiranchor.ipfs.cid.BlockHashMismatchException} and nothing after it is read.
 */
public final class CarReader {
    /** Sections above this are refused rather than allocated: a UnixFS block is at most 1 MiB plus a node header. */
    public static final int MAX_SECTION_BYTES = 4 * 1024 * 1024;

    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final InputStream in;
    private final CarHeader header;

    public CarReader(InputStream in) throws IOException {
        this.in = in;
        long headerLength = Varint.read(in);
        if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES) {
            throw new CarFormatException("bad CAR header length " + headerLength);
        }
        this.header = CarHeader.decode(readExactly((int) headerLength));
    }

    public List<Cid> roots() {
        return header.roots();
    }

    /** The next verified block, or null at the end of the stream. */
    public Block next() throws IOException {
        long length = Varint.read(in);
        if (length < 0) {
            return null;
        }
        if (length == 0 || length > MAX_SECTION_BYTES) {
            throw new CarFormatException("bad CAR section length " + length);
        }
        byte[] section = readExactly((int) length);
        Cid.Parsed parsed;
        try {
            parsed = Cid.parse(section, 0);
        } catch (IllegalArgumentException e) {
            throw new CarFormatException("bad CID in CAR section: " + e.getMessage());
        }
        return Block.verified(parsed.cid(), Arrays.copyOfRange(section, parsed.length(), section.length));
    }

    private byte[] readExactly(int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new CarFormatException("CAR truncated: wanted " + length + " bytes, got " + bytes.length);
        }
        return bytes;
    }
}
