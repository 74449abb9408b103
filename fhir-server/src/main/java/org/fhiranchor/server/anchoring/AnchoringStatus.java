package org.fhiranchor.server.anchoring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.fhiranchor.server.log.LogRepository;
import org.springframework.jdbc.core.JdbcTemplate;

/** What health and metrics report: the unanchored backlog and how old its oldest entry is. */
public final class AnchoringStatus {

    /** A point-in-time view. */
    public record Snapshot(long logEntries, long treeSize, long anchoredTreeSize, long unanchoredEntries, double lagSeconds) {}

    private final LogRepository log;
    private final CheckpointRepository checkpoints;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    public AnchoringStatus(LogRepository log, CheckpointRepository checkpoints, JdbcTemplate jdbc, Clock clock) {
        this.log = log;
        this.checkpoints = checkpoints;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Snapshot snapshot() {
        long entries = log.entryCount();
        long treeSize = log.head().treeSize();
        long anchored = checkpoints.latestAnchored().map(Checkpoint::treeSize).orElse(0L);
        List<java.sql.Timestamp> oldest = jdbc.queryForList(
                "SELECT MIN(recorded_at) FROM anchor_log_entry WHERE leaf_index IS NULL OR leaf_index >= ?",
                java.sql.Timestamp.class, anchored);
        double lag = 0;
        if (!oldest.isEmpty() && oldest.get(0) != null) {
            Instant since = oldest.get(0).toInstant();
            lag = Math.max(0, Duration.between(since, clock.instant()).toMillis() / 1000.0);
        }
        return new Snapshot(entries, treeSize, anchored, entries - anchored, lag);
    }
}
