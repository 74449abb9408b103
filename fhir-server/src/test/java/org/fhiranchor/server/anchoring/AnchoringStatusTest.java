package org.fhiranchor.server.anchoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.fhiranchor.server.log.LogRepository;
import org.fhiranchor.server.schema.AnchorSchema;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What health and the metrics scrape report, now read without counting the whole log: the entry count is the tree head
 * plus the unsequenced entries, and the lag is the age of the oldest entry not covered by the latest anchored checkpoint
 * (sequenced or not).
 */
class AnchoringStatusTest {

    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    private static final String HASH = "00".repeat(32);

    private JdbcTemplate jdbc;
    private AnchoringStatus status;
    private long nextVersion;

    @BeforeEach
    void emptyLog() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:status-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        jdbc = new JdbcTemplate(dataSource);
        AnchorSchema.migrate(dataSource);
        status = new AnchoringStatus(
                new LogRepository(jdbc), new CheckpointRepository(jdbc), jdbc, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void anEmptyLogHasNothingToAnchor() {
        AnchoringStatus.Snapshot s = status.snapshot();
        assertThat(s.logEntries()).isZero();
        assertThat(s.treeSize()).isZero();
        assertThat(s.unanchoredEntries()).isZero();
        assertThat(s.lagSeconds()).isZero();
    }

    @Test
    void countsSequencedAndUnsequencedEntriesAndAgesTheOldestNotAnchored() {
        // Leaves 0..4 recorded 100..96 s ago, of which 0..2 are under an anchored checkpoint; two entries not sequenced
        // yet, recorded 30 and 10 s ago.
        for (long leaf = 0; leaf < 5; leaf++) {
            entry(leaf, NOW.minusSeconds(100 - leaf));
        }
        entry(null, NOW.minusSeconds(30));
        entry(null, NOW.minusSeconds(10));
        head(5);
        checkpoint(3, "ANCHORED");
        checkpoint(5, "PENDING");

        AnchoringStatus.Snapshot s = status.snapshot();
        assertThat(s.logEntries()).isEqualTo(7);
        assertThat(s.treeSize()).isEqualTo(5);
        assertThat(s.anchoredTreeSize()).isEqualTo(3);
        assertThat(s.unanchoredEntries()).isEqualTo(4);
        assertThat(s.lagSeconds()).isEqualTo(97.0); // leaf 3, the first after the anchored checkpoint
    }

    @Test
    void anUnsequencedEntryOlderThanTheUnanchoredLeavesSetsTheLag() {
        entry(0L, NOW.minusSeconds(50));
        entry(1L, NOW.minusSeconds(20));
        entry(null, NOW.minusSeconds(40)); // committed late with an older timestamp, not sequenced yet
        head(2);
        checkpoint(1, "ANCHORED");

        AnchoringStatus.Snapshot s = status.snapshot();
        assertThat(s.logEntries()).isEqualTo(3);
        assertThat(s.unanchoredEntries()).isEqualTo(2);
        assertThat(s.lagSeconds()).isEqualTo(40.0);
    }

    @Test
    void everythingAnchoredMeansNoBacklogAndNoLag() {
        for (long leaf = 0; leaf < 4; leaf++) {
            entry(leaf, NOW.minusSeconds(60));
        }
        head(4);
        checkpoint(4, "ANCHORED");

        AnchoringStatus.Snapshot s = status.snapshot();
        assertThat(s.logEntries()).isEqualTo(4);
        assertThat(s.unanchoredEntries()).isZero();
        assertThat(s.lagSeconds()).isZero();
    }

    @Test
    void neitherQueryScansTheLog() {
        for (String query :
                java.util.List.of(AnchoringStatus.SIZES, AnchoringStatus.OLDEST_UNANCHORED.replace("?", "5"))) {
            String plan = jdbc.queryForObject("EXPLAIN " + query, String.class);
            assertThat(plan).as(query).doesNotContainIgnoringCase("tableScan").contains("UQ_ANCHOR_LOG_LEAF");
        }
    }

    private void entry(Long leafIndex, Instant recordedAt) {
        long version = ++nextVersion;
        jdbc.update(
                "INSERT INTO anchor_log_entry (resource_type, resource_id, version_id, operation, content_hash, salt, "
                        + "recorded_at, leaf_index, leaf_hash, sequenced_at) VALUES ('Patient', ?, 1, 1, ?, ?, ?, ?, ?, ?)",
                "p" + version,
                HASH,
                HASH,
                Timestamp.from(recordedAt),
                leafIndex,
                leafIndex == null ? null : HASH,
                leafIndex == null ? null : Timestamp.from(recordedAt));
    }

    private void head(long size) {
        jdbc.update(
                "INSERT INTO anchor_tree_head (head_id, tree_size, root_hash, updated_at) VALUES (1, ?, ?, ?)",
                size,
                HASH,
                Timestamp.from(NOW));
    }

    private void checkpoint(long size, String state) {
        jdbc.update(
                "INSERT INTO anchor_checkpoint (tree_size, root_hash, created_at, status, attempts) VALUES (?, ?, ?, ?, 0)",
                size,
                HASH,
                Timestamp.from(NOW),
                state);
    }
}
