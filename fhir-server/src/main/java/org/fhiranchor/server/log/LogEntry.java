package org.fhiranchor.server.log;

import java.time.Instant;
import org.fhiranchor.anchor.log.LeafEntry;

/**
 * One logged version: its leaf entry (operation, reference, content hash, salt) and, once the
 * sequencer has run, its leaf index and hash.
 */
public record LogEntry(long entryId, LeafEntry leaf, Instant recordedAt, Long leafIndex, byte[] leafHash) {

    public boolean isSequenced() {
        return leafIndex != null;
    }
}
