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
    public record Snapshot(
            long logEntries, long treeSize, long anchoredTreeSize, long unanchoredEntries, double lagSeconds) {}

    /** Tree size and unsequenced entries, in one statement (one snapshot). */
    static final String SIZES = "SELECT (SELECT COALESCE(MAX(tree_size), 0) FROM anchor_tree_head WHERE head_id = 1), "
            + "(SELECT COUNT(*) FROM anchor_log_entry WHERE leaf_index IS NULL)";
    /**
     * The oldest entry not under the anchored size. Two ranges of the leaf index, not {@code leaf_index IS NULL OR
     * leaf_index >= ?}: H2 answers that OR with a scan of the whole table.
     */
    static final String OLDEST_UNANCHORED = "SELECT MIN(recorded_at) FROM ("
            + "SELECT recorded_at FROM anchor_log_entry WHERE leaf_index IS NULL "
            + "UNION ALL SELECT recorded_at FROM anchor_log_entry WHERE leaf_index >= ?) unanchored";

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

    /**
     * Read on every health check and every metrics scrape, so nothing here counts or scans the whole log: the entry
     * count is the tree head's size plus the unsequenced entries (found through the index on {@code leaf_index}, which
     * holds NULLs), read in one statement so that a sequencer commit between two reads cannot count an entry twice or
     * not at all; the oldest unanchored entry is looked for among the unsequenced entries and the leaves from the
     * anchored size on (two index ranges, both as long as the backlog, not the log).
     */
    public Snapshot snapshot() {
        long[] counts = jdbc.queryForObject(SIZES, (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)});
        long treeSize = counts[0];
        long entries = treeSize + counts[1];
        long anchored = checkpoints.latestAnchored().map(Checkpoint::treeSize).orElse(0L);
        List<java.sql.Timestamp> oldest = jdbc.queryForList(OLDEST_UNANCHORED, java.sql.Timestamp.class, anchored);
        double lag = 0;
        if (!oldest.isEmpty() && oldest.get(0) != null) {
            Instant since = oldest.get(0).toInstant();
            lag = Math.max(0, Duration.between(since, clock.instant()).toMillis() / 1000.0);
        }
        return new Snapshot(entries, treeSize, anchored, entries - anchored, lag);
    }
}
