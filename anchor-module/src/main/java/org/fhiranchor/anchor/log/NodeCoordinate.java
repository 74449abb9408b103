package org.fhiranchor.anchor.log;

/**
 * The position of a complete subtree: {@code level} (0 = leaf) and {@code index}, covering leaves
 * {@code [index * 2^level, (index + 1) * 2^level)}.
 */
public record NodeCoordinate(int level, long index) {

    public NodeCoordinate {
        if (level < 0 || level > 63 || index < 0) {
            throw new IllegalArgumentException("bad node coordinates (" + level + ", " + index + ")");
        }
    }
}
