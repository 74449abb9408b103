package org.fhiranchor.server.anchoring;

import java.time.Instant;

/** A checkpoint of the log: the tree head at {@code treeSize}, and where it sits on chain once anchored. */
public record Checkpoint(
        long treeSize, byte[] rootHash, Instant createdAt, Status status, Long chainId, String contractAddress,
        String txHash, Long blockNumber, Long gasUsed, Instant anchoredAt, int attempts, String lastError) {

    public enum Status {
        PENDING,
        ANCHORED
    }

    public boolean anchored() {
        return status == Status.ANCHORED;
    }
}
