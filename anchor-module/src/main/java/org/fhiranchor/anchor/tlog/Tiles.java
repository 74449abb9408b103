package org.fhiranchor.anchor.tlog;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.fhiranchor.anchor.log.NodeCoordinate;
import org.fhiranchor.anchor.log.SubtreeHashes;

/**
 * Tile math (c2sp.org/tlog-tiles) over the stored complete-subtree hashes: hash {@code i} of tile
 * {@code (L, N)} is MTH of a complete subtree of {@code 256^L} leaves, which the store holds as node
 * {@code (8 L, 256 N + i)}. No tree math of its own.
 */
public final class Tiles {

    private Tiles() {}

    /**
     * How many hashes tile {@code (level, index)} holds in a tree of {@code treeSize} leaves: 256 when full,
     * 1..255 when partial, 0 when it does not exist yet. For entry bundles, use level 0.
     */
    public static int widthAt(int level, long index, long treeSize) {
        int shift = TilePath.HEIGHT * Math.max(level, 0);
        long hashes = shift >= 63 ? 0 : treeSize >>> shift;
        long before = index * TilePath.FULL_WIDTH;
        if (index > (Long.MAX_VALUE / TilePath.FULL_WIDTH) || hashes <= before) {
            return 0;
        }
        return (int) Math.min(TilePath.FULL_WIDTH, hashes - before);
    }

    /** The tile's hashes, concatenated (32 bytes each); the caller has checked the tile exists at that width. */
    public static byte[] hashTile(TilePath tile, SubtreeHashes store) {
        if (tile.isEntries()) {
            throw new IllegalArgumentException("an entry bundle is not a hash tile");
        }
        List<NodeCoordinate> nodes = new ArrayList<>(tile.width());
        int storedLevel = TilePath.HEIGHT * tile.level();
        long first = tile.index() * TilePath.FULL_WIDTH;
        for (int i = 0; i < tile.width(); i++) {
            nodes.add(new NodeCoordinate(storedLevel, first + i));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * tile.width());
        for (byte[] hash : store.getAll(nodes)) {
            out.writeBytes(hash);
        }
        return out.toByteArray();
    }

    /** An entry bundle: each entry as a big-endian uint16 length followed by the entry's bytes. */
    public static byte[] entryBundle(List<byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] entry : entries) {
            if (entry.length > 0xffff) {
                throw new IllegalArgumentException("entry longer than 65535 bytes");
            }
            out.write(entry.length >>> 8);
            out.write(entry.length & 0xff);
            out.writeBytes(entry);
        }
        return out.toByteArray();
    }

    /** The entries of a bundle; rejects a truncated bundle. */
    public static List<byte[]> parseEntryBundle(byte[] bundle) throws NoteFormatException {
        List<byte[]> entries = new ArrayList<>();
        int at = 0;
        while (at < bundle.length) {
            if (at + 2 > bundle.length) {
                throw new NoteFormatException("entry bundle truncated in a length prefix");
            }
            int length = ((bundle[at] & 0xff) << 8) | (bundle[at + 1] & 0xff);
            at += 2;
            if (at + length > bundle.length) {
                throw new NoteFormatException("entry bundle truncated in an entry");
            }
            entries.add(java.util.Arrays.copyOfRange(bundle, at, at + length));
            at += length;
        }
        return entries;
    }
}
