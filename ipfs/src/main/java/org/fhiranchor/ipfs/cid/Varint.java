package org.fhiranchor.ipfs.cid;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Unsigned LEB128 varints as multiformats uses them (at most 9 bytes, minimal encoding only). */
public final class Varint {
    /** The multiformats spec caps varints at 9 bytes (63 bits). */
    public static final int MAX_BYTES = 9;

    private Varint() {}

    public static byte[] encode(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(MAX_BYTES);
        write(value, out);
        return out.toByteArray();
    }

    public static void write(long value, ByteArrayOutputStream out) {
        if (value < 0) {
            throw new IllegalArgumentException("varint must be non-negative: " + value);
        }
        while (value >= 0x80) {
            out.write((int) (value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }

    public static int encodedLength(long value) {
        int length = 1;
        while (value >= 0x80) {
            value >>>= 7;
            length++;
        }
        return length;
    }

    /** A decoded value and how many bytes it took. */
    public record Decoded(long value, int length) {}

    public static Decoded decode(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < MAX_BYTES; i++) {
            if (offset + i >= bytes.length) {
                throw new IllegalArgumentException("truncated varint");
            }
            int b = bytes[offset + i] & 0xff;
            value |= (long) (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new IllegalArgumentException("varint not minimally encoded");
                }
                return new Decoded(value, i + 1);
            }
        }
        throw new IllegalArgumentException("varint longer than " + MAX_BYTES + " bytes");
    }

    /**
     * Reads one varint from a stream.
     *
     * @return the value, or -1 if the stream ended cleanly before the first byte (end of a CAR file)
     */
    public static long read(InputStream in) throws IOException {
        long value = 0;
        for (int i = 0; i < MAX_BYTES; i++) {
            int b = in.read();
            if (b < 0) {
                if (i == 0) {
                    return -1;
                }
                throw new EOFException("truncated varint");
            }
            value |= (long) (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new IOException("varint not minimally encoded");
                }
                return value;
            }
        }
        throw new IOException("varint longer than " + MAX_BYTES + " bytes");
    }
}
