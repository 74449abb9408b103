package org.fhiranchor.server.log;

import java.time.Instant;
import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.anchor.log.ResourceRef;

/**
 * A version written as a member of a batch (docs/verification.md 4.2): its leaf entry, which is not a leaf of
 * the log, and once sealed the batch record that commits to it and its index in that batch.
 */
public record BatchMember(long memberId, LeafEntry leaf, Instant recordedAt, ResourceRef batch, Integer batchIndex) {

    public boolean isSealed() {
        return batch != null;
    }
}
