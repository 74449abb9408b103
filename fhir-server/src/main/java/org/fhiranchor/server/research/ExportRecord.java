package org.fhiranchor.server.research;

import java.time.Instant;

/**
 * One row of {@code anchor_research_export}.
 *
 * @param manifestCid the manifest's CID once complete
 * @param proofCid the export proof's CID once complete
 * @param provenance {@code Provenance/<id>/_history/<vid>} once written
 */
public record ExportRecord(
        String exportId,
        ExportRequest request,
        ExportStatus status,
        String progress,
        Instant createdAt,
        Instant transactionTime,
        Instant completedAt,
        String manifestCid,
        String proofCid,
        String provenance,
        String error) {}
