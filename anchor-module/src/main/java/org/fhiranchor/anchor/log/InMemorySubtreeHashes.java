package org.fhiranchor.anchor.log;

import java.util.ArrayList;
import java.util.List;

/** An in-memory log for tests and tools: appends leaf hashes and keeps every complete subtree hash. */
public final class InMemorySubtreeHashes implements SubtreeHashes {

    private final List<List<byte[]>> levels = new ArrayList<>();
    private final CompactRange range = CompactRange.empty();

    /** Appends a leaf hash; returns its index. */
    public long append(byte[] leafHash) {
        long index = range.size();
        for (SubtreeNode node : range.append(leafHash)) {
            while (levels.size() <= node.level()) {
                levels.add(new ArrayList<>());
            }
            List<byte[]> level = levels.get(node.level());
            if (level.size() != node.index()) {
                throw new IllegalStateException("nodes must complete in order");
            }
            level.add(node.hash());
        }
        return index;
    }

    /** Appends SHA-256(0x00 || entry) for each entry. */
    public static InMemorySubtreeHashes ofEntries(List<byte[]> entries) {
        InMemorySubtreeHashes tree = new InMemorySubtreeHashes();
        for (byte[] entry : entries) {
            tree.append(MerkleHash.leaf(entry));
        }
        return tree;
    }

    public long size() {
        return range.size();
    }

    public byte[] root() {
        return range.root();
    }

    @Override
    public byte[] get(int level, long index) {
        if (level < 0
                || level >= levels.size()
                || index < 0
                || index >= levels.get(level).size()) {
            throw new IllegalArgumentException("no complete subtree at (" + level + ", " + index + ")");
        }
        return levels.get(level).get((int) index).clone();
    }
}
