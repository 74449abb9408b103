package org.fhiranchor.server.archive;

import java.time.Instant;
import java.util.Optional;
import org.fhiranchor.server.anchoring.Checkpoint;
import org.fhiranchor.server.anchoring.CheckpointRepository;

/** What health and metrics report: anchored leaves not archived yet, archives not on chain yet, the last error. */
public final class ArchiveStatus {

    /** A point-in-time view. */
    public record Snapshot(
            long anchoredSize,
            long archivedSize,
            long backlog,
            long unrecordedArchives,
            String lastError,
            Instant lastErrorAt) {}

    private final CheckpointRepository checkpoints;
    private final ArchiveRepository archives;
    /** One field, so that a reader never sees an error without its time (or the reverse). */
    private record Failure(String error, Instant at) {}

    private volatile Failure lastFailure;

    public ArchiveStatus(CheckpointRepository checkpoints, ArchiveRepository archives) {
        this.checkpoints = checkpoints;
        this.archives = archives;
    }

    public Snapshot snapshot() {
        long anchored = checkpoints.latestAnchored().map(Checkpoint::treeSize).orElse(0L);
        long archived = archives.archivedSize();
        Failure failure = lastFailure;
        return new Snapshot(
                anchored,
                archived,
                Math.max(0, anchored - archived),
                archives.storedCount(),
                failure == null ? null : failure.error(),
                failure == null ? null : failure.at());
    }

    void failed(String error, Instant at) {
        lastFailure = new Failure(error, at);
    }

    void succeeded() {
        lastFailure = null;
    }

    public Optional<String> lastError() {
        return Optional.ofNullable(lastFailure).map(Failure::error);
    }
}
