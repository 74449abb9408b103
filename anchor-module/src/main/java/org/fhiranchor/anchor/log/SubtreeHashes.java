package org.fhiranchor.anchor.log;

import java.util.ArrayList;
import java.util.List;

/**
 * Read access to stored complete-subtree hashes. {@code get(level, index)} is the hash of the complete
 * subtree covering leaves {@code [index * 2^level, (index + 1) * 2^level)}; level 0 holds leaf hashes.
 * A database implements this with one row per node, written as {@link CompactRange} reports them.
 */
@FunctionalInterface
public interface SubtreeHashes {

    /** The stored hash; implementations throw if the node is not (yet) complete. */
    byte[] get(int level, long index);

    /**
     * The hashes of several nodes, in the order asked (duplicates allowed). {@link MerkleTree} asks for all
     * the nodes of one proof or root at once, so that a database can answer with one query instead of one per
     * node. The default reads them one by one.
     */
    default List<byte[]> getAll(List<NodeCoordinate> nodes) {
        List<byte[]> hashes = new ArrayList<>(nodes.size());
        for (NodeCoordinate node : nodes) {
            hashes.add(get(node.level(), node.index()));
        }
        return hashes;
    }
}
