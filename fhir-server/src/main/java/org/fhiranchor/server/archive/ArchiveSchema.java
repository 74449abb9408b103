package org.fhiranchor.server.archive;

import org.fhiranchor.server.jobs.JobLock;
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
        JobLock.create(jdbc, LOCK);
    }
}
