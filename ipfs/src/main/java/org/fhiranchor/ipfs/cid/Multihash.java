package org.fhiranchor.ipfs.cid;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** A multihash: varint function code, varint digest length, digest. Only sha2-256 is produced or verified. */
public record Multihash(long code, byte[] digest) {
    public static final long SHA2_256 = 0x12;
    public static final int SHA2_256_LENGTH = 32;

    public Multihash {
        digest = digest.clone();
        if (code == SHA2_256 && digest.length != SHA2_256_LENGTH) {
            throw new IllegalArgumentException("sha2-256 digest must be 32 bytes, got " + digest.length);
        }
    }

    public static Multihash sha256(byte[] data) {
        return new Multihash(SHA2_256, newSha256().digest(data));
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Whether {@code data} hashes to this multihash; false for hash functions we do not implement. */
    public boolean matches(byte[] data) {
        return code == SHA2_256 && MessageDigest.isEqual(digest, newSha256().digest(data));
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(digest.length + 4);
        Varint.write(code, out);
        Varint.write(digest.length, out);
        out.writeBytes(digest);
        return out.toByteArray();
    }

    /** Parses a multihash occupying {@code bytes[offset..]}; returns it and its encoded length. */
    static Parsed parse(byte[] bytes, int offset) {
        Varint.Decoded code = Varint.decode(bytes, offset);
        Varint.Decoded length = Varint.decode(bytes, offset + code.length());
        int start = offset + code.length() + length.length();
        if (length.value() > bytes.length - start) {
            throw new IllegalArgumentException("multihash digest truncated");
        }
        byte[] digest = Arrays.copyOfRange(bytes, start, start + (int) length.value());
        return new Parsed(new Multihash(code.value(), digest), start + digest.length - offset);
    }

    record Parsed(Multihash multihash, int length) {}

    @Override
    public boolean equals(Object other) {
        return other instanceof Multihash that && code == that.code && Arrays.equals(digest, that.digest);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(code) + Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return "Multihash[0x" + Long.toHexString(code) + ":" + HexFormat.of().formatHex(digest) + "]";
    }
}
