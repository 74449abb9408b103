package org.fhiranchor.server.archive;

import java.time.Instant;

/**
 * One archived range of leaves [fromSize, toSize): its envelope's CID (base32) and size, the key id that sealed it,
 * and, once {@link Status#RECORDED}, the chain transaction that emitted its {@code Archived} event.
 */
public record ArchiveRecord(
        long fromSize,
        long toSize,
        String cid,
        long sizeBytes,
        String keyId,
        Instant archivedAt,
        Status status,
        String txHash,
        Long blockNumber,
        Instant recordedAt) {

    public enum Status {
        /** Stored and pinned; the CID is not on chain yet. */
        STORED,
        /** The CID is on chain. */
        RECORDED
    }
}
