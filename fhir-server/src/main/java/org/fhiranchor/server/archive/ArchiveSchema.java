package org.fhiranchor.server.archive;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The archive's table and job lock row, created if missing (H2 and PostgreSQL). Kept beside the archiver rather
 * than in LogSchema so that the log's schema does not depend on this feature.
 */
public final class ArchiveSchema {

    /** The {@code anchor_job_lock} row that serialises archiver runs across replicas. */
    public static final String LOCK = "archive";

    private ArchiveSchema() {}

    public static void create(JdbcTemplate jdbc) {
        jdbc.execute("""
                CREATE TABLE IF NOT EXISTS anchor_archive (
                  from_size BIGINT PRIMARY KEY,
                  to_size BIGINT NOT NULL,
                  cid VARCHAR(128) NOT NULL,
                  size_bytes BIGINT NOT NULL,
                  key_id VARCHAR(255) NOT NULL,
                  archived_at TIMESTAMP NOT NULL,
                  status VARCHAR(16) NOT NULL,
                  tx_hash VARCHAR(66),
                  block_number BIGINT,
                  recorded_at TIMESTAMP,
                  CONSTRAINT uq_anchor_archive_to UNIQUE (to_size)
                )""");
        Integer present = jdbc.queryForObject("SELECT COUNT(*) FROM anchor_job_lock WHERE lock_name = ?", Integer.class, LOCK);
        if (present == null || present == 0) {
            try {
                jdbc.update("INSERT INTO anchor_job_lock (lock_name) VALUES (?)", LOCK);
            } catch (DuplicateKeyException raced) {
                // another replica created it at the same moment
            }
        }
    }
}
