package org.fhiranchor.anchor.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One log entry: the RFC 9162 leaf "entry" bytes are
 * {@code 0x01 (format) || operation || uint16 BE ref length || UTF-8 ref || content_hash[32] || salt[32]}.
 * The salt is random per leaf and handed only to readers of the resource, so that a published leaf or
 * root never lets an outsider confirm a guessed record.
 */
public record LeafEntry(Operation operation, ResourceRef ref, byte[] contentHash, byte[] salt) {

    public static final int FORMAT_VERSION = 1;
    public static final int HASH_LENGTH = 32;
    public static final int SALT_LENGTH = 32;

    public LeafEntry {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(ref, "ref");
        contentHash = FixedBytes.copy(contentHash, HASH_LENGTH, "content hash");
        salt = FixedBytes.copy(salt, SALT_LENGTH, "salt");
        boolean zeroHash = Arrays.equals(contentHash, new byte[HASH_LENGTH]);
        if (operation == Operation.DELETE && !zeroHash) {
            throw new IllegalArgumentException("a delete has no body: its content hash must be 32 zero bytes");
        }
        if (operation != Operation.DELETE && zeroHash) {
            throw new IllegalArgumentException("the all-zero content hash is reserved for deletes");
        }
    }

    @Override
    public byte[] contentHash() {
        return contentHash.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    /** The entry bytes that the leaf hash covers. */
    public byte[] encode() {
        byte[] refBytes = ref.toString().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + refBytes.length + HASH_LENGTH + SALT_LENGTH)
                .put((byte) FORMAT_VERSION)
                .put((byte) operation.code())
                .putShort((short) refBytes.length)
                .put(refBytes)
                .put(contentHash)
                .put(salt)
                .array();
    }

    /** SHA-256(0x00 || entry), RFC 9162 section 2.1.1. */
    public byte[] leafHash() {
        return MerkleHash.leaf(encode());
    }

    public static LeafEntry decode(byte[] entry) {
        ByteBuffer in = ByteBuffer.wrap(entry);
        if (entry.length < 4) {
            throw new IllegalArgumentException("leaf entry too short");
        }
        int version = in.get() & 0xff;
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("unknown leaf entry format version " + version);
        }
        Operation operation = Operation.fromCode(in.get() & 0xff);
        int refLength = in.getShort() & 0xffff;
        if (in.remaining() != refLength + HASH_LENGTH + SALT_LENGTH) {
            throw new IllegalArgumentException("leaf entry length does not match its reference length");
        }
        byte[] refBytes = new byte[refLength];
        in.get(refBytes);
        byte[] contentHash = new byte[HASH_LENGTH];
        in.get(contentHash);
        byte[] salt = new byte[SALT_LENGTH];
        in.get(salt);
        // The ref pattern is ASCII only, so a non-ASCII byte fails parsing below rather than being replaced.
        return new LeafEntry(
                operation, ResourceRef.parse(new String(refBytes, StandardCharsets.UTF_8)), contentHash, salt);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LeafEntry other
                && operation == other.operation
                && ref.equals(other.ref)
                && Arrays.equals(contentHash, other.contentHash)
                && Arrays.equals(salt, other.salt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(operation, ref, Arrays.hashCode(contentHash), Arrays.hashCode(salt));
    }

    @Override
    public String toString() {
        return "LeafEntry[" + operation + " " + ref + " content="
                + HexFormat.of().formatHex(contentHash) + "]";
    }
}
