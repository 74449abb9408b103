package org.fhiranchor.anchor.log;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/** A complete subtree hash at (level, index), as reported by {@link CompactRange#append}. */
public record SubtreeNode(int level, long index, byte[] hash) {

    public SubtreeNode {
        Objects.requireNonNull(hash, "hash");
        if (level < 0 || level > 63 || index < 0) {
            throw new IllegalArgumentException("bad node coordinates (" + level + ", " + index + ")");
        }
        hash = hash.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubtreeNode other
                && level == other.level
                && index == other.index
                && Arrays.equals(hash, other.hash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(level, index, Arrays.hashCode(hash));
    }

    @Override
    public String toString() {
        return "SubtreeNode[" + level + ", " + index + ", " + HexFormat.of().formatHex(hash) + "]";
    }
}
