package org.fhiranchor.ipfs.cid;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * A content identifier. Version 1 is {@code varint(1) varint(codec) multihash}; version 0 is a bare sha2-256
 * multihash implying dag-pb. Two CIDs are equal exactly when their binary forms are equal, so a base58btc and a
 * base32 spelling of one CIDv1 are equal, while a CIDv0 and the CIDv1 of the same node are not (Kubo treats them
 * as different too).
 */
public final class Cid {
    private final int version;
    private final long codec;
    private final Multihash multihash;
    private final byte[] bytes;

    private Cid(int version, long codec, Multihash multihash) {
        this.version = version;
        this.codec = codec;
        this.multihash = multihash;
        this.bytes = encode(version, codec, multihash);
    }

    public static Cid v1(long codec, Multihash multihash) {
        return new Cid(1, codec, multihash);
    }

    public static Cid v0(Multihash multihash) {
        if (multihash.code() != Multihash.SHA2_256) {
            throw new IllegalArgumentException("CIDv0 requires sha2-256");
        }
        return new Cid(0, Multicodec.DAG_PB, multihash);
    }

    /** The CIDv1 (sha2-256) of a block's bytes under a codec. */
    public static Cid sha256(long codec, byte[] block) {
        return v1(codec, Multihash.sha256(block));
    }

    private static byte[] encode(int version, long codec, Multihash multihash) {
        if (version == 0) {
            return multihash.bytes();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(40);
        Varint.write(version, out);
        Varint.write(codec, out);
        out.writeBytes(multihash.bytes());
        return out.toByteArray();
    }

    /** Parses a CID's text form: CIDv0 ({@code Qm...}, 46 characters) or a multibase CIDv1 (b..., z...). */
    public static Cid parse(String text) {
        String trimmed = text.strip();
        if (trimmed.length() == 46 && trimmed.startsWith("Qm")) {
            return fromBytes(Base58.decode(trimmed));
        }
        return fromBytes(Multibase.decode(trimmed));
    }

    /** Parses a complete binary CID (no trailing bytes allowed). */
    public static Cid fromBytes(byte[] bytes) {
        Parsed parsed = parse(bytes, 0);
        if (parsed.length() != bytes.length) {
            throw new IllegalArgumentException("trailing bytes after CID");
        }
        return parsed.cid();
    }

    /** A CID read from a longer buffer, and how many bytes it used. */
    public record Parsed(Cid cid, int length) {}

    /** Parses a binary CID at {@code offset}; the buffer may continue after it (CAR sections do). */
    public static Parsed parse(byte[] bytes, int offset) {
        if (bytes.length - offset >= 34 && bytes[offset] == 0x12 && bytes[offset + 1] == 0x20) {
            Multihash.Parsed mh = Multihash.parse(bytes, offset);
            return new Parsed(v0(mh.multihash()), mh.length());
        }
        Varint.Decoded version = Varint.decode(bytes, offset);
        if (version.value() != 1) {
            throw new IllegalArgumentException("unsupported CID version " + version.value());
        }
        Varint.Decoded codec = Varint.decode(bytes, offset + version.length());
        int mhStart = offset + version.length() + codec.length();
        Multihash.Parsed mh = Multihash.parse(bytes, mhStart);
        return new Parsed(v1(codec.value(), mh.multihash()), mhStart + mh.length() - offset);
    }

    public int version() {
        return version;
    }

    public long codec() {
        return codec;
    }

    public Multihash multihash() {
        return multihash;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public int byteLength() {
        return bytes.length;
    }

    /** The same node addressed as CIDv1 (a CIDv1 returns itself). */
    public Cid toV1() {
        return version == 1 ? this : v1(codec, multihash);
    }

    /** Base32 lower for CIDv1 (what Kubo prints), base58btc without prefix for CIDv0. */
    @Override
    public String toString() {
        return version == 0 ? Base58.encode(bytes) : Multibase.BASE32.encode(bytes);
    }

    public String toString(Multibase base) {
        if (version == 0) {
            throw new IllegalStateException("CIDv0 has no multibase form; use toV1()");
        }
        return base.encode(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cid that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
