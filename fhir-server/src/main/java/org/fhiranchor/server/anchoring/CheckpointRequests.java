package org.fhiranchor.server.anchoring;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Asks this server's checkpoint job for a checkpoint before its interval is up, for work that waits for one (a
 * research export waits for its Provenance to be anchored). One extra checkpoint per request at most; a request
 * made on a replica that does not hold the checkpoint lock is simply served at the normal interval.
 */
public final class CheckpointRequests {

    private final AtomicLong requestedTreeSize = new AtomicLong();

    /** Asks for a checkpoint of at least {@code treeSize} leaves as soon as the log has them. */
    public void requestCovering(long treeSize) {
        requestedTreeSize.accumulateAndGet(treeSize, Math::max);
    }

    /** Whether a checkpoint at {@code headSize} is asked for, the last one being at {@code lastSize}. */
    boolean requested(long lastSize, long headSize) {
        long requested = requestedTreeSize.get();
        return requested > lastSize && headSize >= requested;
    }
}
