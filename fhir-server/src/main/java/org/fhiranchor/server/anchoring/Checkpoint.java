package org.fhiranchor.server.anchoring;

import java.time.Instant;

/** A checkpoint of the log: the tree head at {@code treeSize}, and where it sits on chain once anchored. */
public record Checkpoint(
        long treeSize,
        byte[] rootHash,
        Instant createdAt,
        Status status,
        Long chainId,
        String contractAddress,
        String txHash,
        Long blockNumber,
        Long gasUsed,
        Instant anchoredAt,
        int attempts,
        String lastError) {

    /**
     * PENDING: taken, not (or no longer) on chain; MINED: in a block, fewer than the configured
     * confirmations deep; ANCHORED: confirmed. A reorganisation can send MINED or ANCHORED back to PENDING.
     * SUPERSEDED: lost in a reorganisation while a later checkpoint (which covers all its leaves) stayed on
     * chain; the contract cannot take a smaller tree size any more.
     */
    public enum Status {
        PENDING,
        MINED,
        ANCHORED,
        SUPERSEDED
    }

    public boolean anchored() {
        return status == Status.ANCHORED;
    }
}
