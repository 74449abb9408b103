package org.fhiranchor.anchor.log;

import java.util.List;

/** Counts what a store is asked, so a test sees what a database would see: nodes read, and read calls made. */
final class CountingSubtreeHashes implements SubtreeHashes {

    private final SubtreeHashes inner;
    /** Nodes read, one by one or in batches. */
    int reads;
    /** Calls: each {@link #get} and each {@link #getAll} is one (one query for a database). */
    int batches;

    CountingSubtreeHashes(SubtreeHashes inner) {
        this.inner = inner;
    }

    @Override
    public byte[] get(int level, long index) {
        reads++;
        batches++;
        return inner.get(level, index);
    }

    @Override
    public List<byte[]> getAll(List<NodeCoordinate> nodes) {
        reads += nodes.size();
        batches++;
        return inner.getAll(nodes);
    }
}
