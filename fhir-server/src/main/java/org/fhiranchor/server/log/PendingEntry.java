package org.fhiranchor.server.log;

import java.time.Instant;
import org.fhiranchor.anchor.log.Operation;

/** A version to be appended to the log, as the storage hook saw it. */
record PendingEntry(
        String resourceType,
        String resourceId,
        long versionId,
        Operation operation,
        byte[] contentHash,
        byte[] salt,
        Instant recordedAt) {}
