package org.fhiranchor.ipfs.car;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.fhiranchor.ipfs.cid.Cid;

/**
 * The CAR v1 header, a fixed dag-cbor map. Encoded by hand: dag-cbor's canonical key order (shorter key first)
 * puts "roots" before "version"; each root is CBOR tag 42 over a byte string holding 0x00 then the binary CID.
 * The decoder accepts exactly this shape (keys in either order) and nothing else.
 */
public record CarHeader(List<Cid> roots) {
    private static final int TAG_CID = 42;

    public CarHeader {
        roots = List.copyOf(roots);
    }

    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeHead(out, 5, 2); // map of 2
        writeText(out, "roots");
        writeHead(out, 4, roots.size());
        for (Cid root : roots) {
            writeHead(out, 6, TAG_CID);
            byte[] cid = root.bytes();
            writeHead(out, 2, cid.length + 1);
            out.write(0x00); // multibase "identity" prefix required by dag-cbor's CID encoding
            out.writeBytes(cid);
        }
        writeText(out, "version");
        writeHead(out, 0, 1);
        return out.toByteArray();
    }

    private static void writeText(ByteArrayOutputStream out, String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        writeHead(out, 3, utf8.length);
        out.writeBytes(utf8);
    }

    /** CBOR initial byte plus argument in the shortest form, as dag-cbor requires. */
    private static void writeHead(ByteArrayOutputStream out, int major, long value) {
        int type = major << 5;
        if (value < 24) {
            out.write(type | (int) value);
        } else if (value < 0x100) {
            out.write(type | 24);
            out.write((int) value);
        } else if (value < 0x10000) {
            out.write(type | 25);
            out.write((int) (value >>> 8));
            out.write((int) value);
        } else {
            out.write(type | 26);
            for (int shift = 24; shift >= 0; shift -= 8) {
                out.write((int) (value >>> shift));
            }
        }
    }

    public static CarHeader decode(byte[] bytes) throws CarFormatException {
        Cursor in = new Cursor(bytes);
        long entries = in.head(5);
        List<Cid> roots = null;
        Long version = null;
        for (long i = 0; i < entries; i++) {
            String key = new String(in.raw(in.head(3)), StandardCharsets.UTF_8);
            switch (key) {
                case "roots" -> {
                    long count = in.head(4);
                    roots = new ArrayList<>();
                    for (long r = 0; r < count; r++) {
                        if (in.head(6) != TAG_CID) {
                            throw new CarFormatException("CAR root is not a CID (tag 42)");
                        }
                        byte[] cid = in.raw(in.head(2));
                        if (cid.length < 2 || cid[0] != 0) {
                            throw new CarFormatException("CAR root CID lacks the 0x00 prefix");
                        }
                        try {
                            roots.add(Cid.fromBytes(java.util.Arrays.copyOfRange(cid, 1, cid.length)));
                        } catch (IllegalArgumentException e) {
                            throw new CarFormatException("bad CAR root CID: " + e.getMessage());
                        }
                    }
                }
                case "version" -> version = in.head(0);
                default -> throw new CarFormatException("unexpected CAR header key: " + key);
            }
        }
        if (in.position != bytes.length) {
            throw new CarFormatException("trailing bytes in CAR header");
        }
        if (version == null || version != 1) {
            throw new CarFormatException("only CAR version 1 is supported, header says " + version);
        }
        if (roots == null) {
            throw new CarFormatException("CAR header without roots");
        }
        return new CarHeader(roots);
    }

    private static final class Cursor {
        private final byte[] bytes;
        private int position;

        Cursor(byte[] bytes) {
            this.bytes = bytes;
        }

        long head(int expectedMajor) throws CarFormatException {
            int initial = next();
            int major = initial >>> 5;
            int info = initial & 31;
            if (major != expectedMajor) {
                throw new CarFormatException("CBOR major type " + major + ", expected " + expectedMajor);
            }
            if (info < 24) {
                return info;
            }
            int length = switch (info) {
                case 24 -> 1;
                case 25 -> 2;
                case 26 -> 4;
                case 27 -> 8;
                default -> throw new CarFormatException("indefinite or reserved CBOR length");
            };
            long value = 0;
            for (int i = 0; i < length; i++) {
                value = (value << 8) | next();
            }
            if (value < 0 || value > Integer.MAX_VALUE) {
                throw new CarFormatException("CBOR value out of range");
            }
            return value;
        }

        byte[] raw(long length) throws CarFormatException {
            if (length > bytes.length - position) {
                throw new CarFormatException("CAR header truncated");
            }
            byte[] value = java.util.Arrays.copyOfRange(bytes, position, position + (int) length);
            position += (int) length;
            return value;
        }

        private int next() throws CarFormatException {
            if (position >= bytes.length) {
                throw new CarFormatException("CAR header truncated");
            }
            return bytes[position++] & 0xff;
        }
    }
}
