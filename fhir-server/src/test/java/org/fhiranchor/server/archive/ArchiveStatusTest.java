package org.fhiranchor.server.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.fhiranchor.server.anchoring.CheckpointRepository;
import org.fhiranchor.server.schema.AnchorSchema;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What health and the metrics scrape report about the archive, read without listing or scanning every archive the log
 * ever had: the archived prefix through the unique index on {@code to_size}, the archives not on chain yet through the
 * status index (migration V3).
 */
class ArchiveStatusTest {

    private static final Instant NOW = Instant.parse("2026-12-06T04:00:00Z");

    private JdbcTemplate jdbc;
    private ArchiveRepository archives;
    private ArchiveStatus status;

    @BeforeEach
    void emptyDatabase() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:archive-status-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        jdbc = new JdbcTemplate(dataSource);
        AnchorSchema.migrate(dataSource);
        archives = new ArchiveRepository(jdbc);
        status = new ArchiveStatus(new CheckpointRepository(jdbc), archives);
    }

    @Test
    void nothingAnchoredNothingArchived() {
        ArchiveStatus.Snapshot s = status.snapshot();
        assertThat(s.anchoredSize()).isZero();
        assertThat(s.archivedSize()).isZero();
        assertThat(s.backlog()).isZero();
        assertThat(s.unrecordedArchives()).isZero();
    }

    @Test
    void countsTheBacklogAndTheArchivesNotRecordedOnChain() {
        checkpoint(5000);
        for (long from = 0; from < 4000; from += 1000) {
            archives.insertStored(from, from + 1000, "bafy" + from, 100, "k1", NOW);
        }
        archives.markRecorded(0, "0x" + "ab".repeat(32), 7, NOW);
        archives.markRecorded(1000, "0x" + "cd".repeat(32), 8, NOW);

        ArchiveStatus.Snapshot s = status.snapshot();
        assertThat(s.anchoredSize()).isEqualTo(5000);
        assertThat(s.archivedSize()).isEqualTo(4000);
        assertThat(s.backlog()).isEqualTo(1000);
        assertThat(s.unrecordedArchives()).isEqualTo(2);
        assertThat(archives.stored()).extracting(ArchiveRecord::fromSize).containsExactly(2000L, 3000L);
    }

    @Test
    void neitherQueryScansTheArchiveTable() {
        assertThat(plan(ArchiveRepository.STORED_COUNT))
                .doesNotContainIgnoringCase("tableScan")
                .containsIgnoringCase("IX_ANCHOR_ARCHIVE_STATUS");
        assertThat(plan(ArchiveRepository.ARCHIVED_SIZE)).doesNotContainIgnoringCase("tableScan");
    }

    private String plan(String query) {
        return jdbc.queryForObject("EXPLAIN " + query, String.class);
    }

    private void checkpoint(long size) {
        jdbc.update(
                "INSERT INTO anchor_checkpoint (tree_size, root_hash, created_at, status, attempts) VALUES (?, ?, ?, 'ANCHORED', 0)",
                size,
                "00".repeat(32),
                Timestamp.from(NOW));
    }
}
