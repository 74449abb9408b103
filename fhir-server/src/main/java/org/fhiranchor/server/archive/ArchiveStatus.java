package org.fhiranchor.server.archive;

import java.time.Instant;
import java.util.Optional;
import org.fhiranchor.server.anchoring.Checkpoint;
import org.fhiranchor.server.anchoring.CheckpointRepository;

/** What health and metrics report: anchored leaves not archived yet, archives not on chain yet, the last error. */
public final class ArchiveStatus {

    /** A point-in-time view. */
    public record Snapshot(long anchoredSize, long archivedSize, long backlog, long unrecordedArchives,
            String lastError, Instant lastErrorAt) {}

    private final CheckpointRepository checkpoints;
    private final ArchiveRepository archives;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    public ArchiveStatus(CheckpointRepository checkpoints, ArchiveRepository archives) {
        this.checkpoints = checkpoints;
        this.archives = archives;
    }

    public Snapshot snapshot() {
        long anchored = checkpoints.latestAnchored().map(Checkpoint::treeSize).orElse(0L);
        long archived = archives.archivedSize();
        return new Snapshot(anchored, archived, Math.max(0, anchored - archived), archives.stored().size(),
                lastError, lastErrorAt);
    }

    void failed(String error, Instant at) {
        lastError = error;
        lastErrorAt = at;
    }

    void succeeded() {
        lastError = null;
        lastErrorAt = null;
    }

    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }
}
