package org.fhiranchor.anchor.tlog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A checkpoint body (c2sp.org/tlog-checkpoint): origin line, tree size in decimal, base64 root hash, then
 * optional extension lines, each ending in a newline. The log signs it as a note with the key named by the
 * origin.
 */
public record TlogCheckpoint(String origin, long treeSize, byte[] rootHash, List<String> extensions) {

    public TlogCheckpoint {
        if (origin == null
                || origin.isEmpty()
                || origin.contains("\n")
                || origin.codePoints().anyMatch(c -> c < 0x20)) {
            throw new IllegalArgumentException("origin must be one non-empty line");
        }
        if (treeSize < 0) {
            throw new IllegalArgumentException("negative tree size");
        }
        if (rootHash == null || rootHash.length != 32) {
            throw new IllegalArgumentException("root hash must be 32 bytes");
        }
        rootHash = rootHash.clone();
        extensions = List.copyOf(extensions);
        for (String line : extensions) {
            if (line.isEmpty() || line.contains("\n")) {
                throw new IllegalArgumentException("extension lines are non-empty single lines");
            }
        }
    }

    public TlogCheckpoint(String origin, long treeSize, byte[] rootHash) {
        this(origin, treeSize, rootHash, List.of());
    }

    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    /** The note text to sign. */
    public String text() {
        StringBuilder text = new StringBuilder()
                .append(origin)
                .append('\n')
                .append(treeSize)
                .append('\n')
                .append(Base64.getEncoder().encodeToString(rootHash))
                .append('\n');
        for (String line : extensions) {
            text.append(line).append('\n');
        }
        return text.toString();
    }

    /** Parses a note's text as a checkpoint (strictly: decimal size without leading zeros, 32-byte hash). */
    public static TlogCheckpoint parse(String text) throws NoteFormatException {
        if (!text.endsWith("\n")) {
            throw new NoteFormatException("checkpoint text must end with a newline");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length < 3) {
            throw new NoteFormatException("a checkpoint has an origin, a tree size and a root hash line");
        }
        if (lines[0].isEmpty()) {
            throw new NoteFormatException("empty origin line");
        }
        if (!lines[1].matches("0|[1-9][0-9]{0,18}")) {
            throw new NoteFormatException("tree size is not a decimal number without leading zeros");
        }
        long size;
        try {
            size = Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            throw new NoteFormatException("tree size out of range");
        }
        byte[] root;
        try {
            root = Base64.getDecoder().decode(lines[2]);
        } catch (IllegalArgumentException e) {
            throw new NoteFormatException("root hash is not base64");
        }
        if (root.length != 32 || !Base64.getEncoder().encodeToString(root).equals(lines[2])) {
            throw new NoteFormatException("root hash is not the base64 of 32 bytes");
        }
        List<String> extensions = new ArrayList<>(Arrays.asList(lines).subList(3, lines.length));
        if (extensions.contains("")) {
            throw new NoteFormatException("empty extension line");
        }
        return new TlogCheckpoint(lines[0], size, root, extensions);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlogCheckpoint other
                && origin.equals(other.origin)
                && treeSize == other.treeSize
                && Arrays.equals(rootHash, other.rootHash)
                && extensions.equals(other.extensions);
    }

    @Override
    public int hashCode() {
        return origin.hashCode() * 31 + Long.hashCode(treeSize) + Arrays.hashCode(rootHash);
    }

    @Override
    public String toString() {
        return "TlogCheckpoint[" + origin + " " + treeSize + " "
                + Base64.getEncoder().encodeToString(rootHash) + "]";
    }
}
