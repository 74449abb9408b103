package org.fhiranchor.anchor.log;

/**
 * Read access to stored complete-subtree hashes. {@code get(level, index)} is the hash of the complete
 * subtree covering leaves {@code [index * 2^level, (index + 1) * 2^level)}; level 0 holds leaf hashes.
 * A database implements this with one row per node, written as {@link CompactRange} reports them.
 */
@FunctionalInterface
public interface SubtreeHashes {

    /** The stored hash; implementations throw if the node is not (yet) complete. */
    byte[] get(int level, long index);
}
