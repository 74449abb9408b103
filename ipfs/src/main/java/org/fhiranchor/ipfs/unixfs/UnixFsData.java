package org.fhiranchor.ipfs.unixfs;

import java.util.ArrayList;
import java.util.List;

/**
 * The UnixFS {@code Data} message carried in a dag-pb node's Data field, for files only. Fields are written in
 * field-number order with the presence rules of go-unixfs: Type (1) always; Data (2) only for a leaf with bytes;
 * filesize (3) always for files; blocksizes (4) one unpacked varint per child.
 */
public record UnixFsData(int type, byte[] data, long fileSize, List<Long> blockSizes) {
    public static final int TYPE_RAW = 0;
    public static final int TYPE_DIRECTORY = 1;
    public static final int TYPE_FILE = 2;

    public UnixFsData {
        data = data == null ? null : data.clone();
        blockSizes = List.copyOf(blockSizes);
    }

    @Override
    public byte[] data() {
        return data == null ? null : data.clone();
    }

    /** A dag-pb leaf (only used without raw leaves, i.e. the CIDv0 profile). */
    public static UnixFsData fileLeaf(byte[] chunk) {
        return new UnixFsData(TYPE_FILE, chunk.length == 0 ? null : chunk, chunk.length, List.of());
    }

    public static UnixFsData fileInterior(List<Long> childSizes) {
        long total = 0;
        for (long size : childSizes) {
            total += size;
        }
        return new UnixFsData(TYPE_FILE, null, total, childSizes);
    }

    public byte[] encode() {
        ProtoWriter writer = new ProtoWriter().varint(1, type);
        if (data != null) {
            writer.bytes(2, data);
        }
        writer.varint(3, fileSize);
        for (long size : blockSizes) {
            writer.varint(4, size);
        }
        return writer.toByteArray();
    }

    /** Records compare arrays by reference; compare the content instead. */
    @Override
    public boolean equals(Object other) {
        return other instanceof UnixFsData that
                && type == that.type
                && fileSize == that.fileSize
                && java.util.Arrays.equals(data, that.data)
                && blockSizes.equals(that.blockSizes);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(type, fileSize, blockSizes, java.util.Arrays.hashCode(data));
    }

    public static UnixFsData decode(byte[] encoded) {
        Integer type = null;
        byte[] data = null;
        long fileSize = 0;
        List<Long> blockSizes = new ArrayList<>();
        ProtoReader reader = new ProtoReader(encoded);
        while (reader.next()) {
            switch (reader.field()) {
                case 1 -> type = (int) reader.varint();
                case 2 -> data = reader.bytes();
                case 3 -> fileSize = reader.varint();
                case 4 -> {
                    if (reader.wireType() == 2) {
                        throw new MalformedNodeException("packed blocksizes are not what go-unixfs writes");
                    }
                    blockSizes.add(reader.varint());
                }
                default -> reader.skip(); // hashType, fanout, mode, mtime: irrelevant to file bytes
            }
        }
        if (type == null) {
            throw new MalformedNodeException("UnixFS Data without Type");
        }
        return new UnixFsData(type, data, fileSize, blockSizes);
    }
}
