package org.fhiranchor.server.jobs;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A lock shared by every server replica on one database: a row locked FOR UPDATE until the
 * surrounding transaction ends. A second replica's job waits, then finds the work done. The table and its rows
 * come from the migrations (db/anchor, schema package); a new lock is a new migration that inserts its row.
 */
public final class JobLock {

    public static final String SEQUENCER = "sequencer";
    public static final String CHECKPOINT = "checkpoint";
    public static final String DEPLOY = "deploy";
    /** The consent decision job (consent package). */
    public static final String CONSENT = "consent";
    /** The audit trail's materializing and sealing of batches (audit package). */
    public static final String AUDIT = "audit";
    /** The archiver's runs (archive package). */
    public static final String ARCHIVE = "archive";

    private JobLock() {}

    /** Must run inside a transaction; holds the lock until it commits or rolls back. */
    public static void acquire(JdbcTemplate jdbc, String name) {
        jdbc.queryForList("SELECT lock_name FROM anchor_job_lock WHERE lock_name = ? FOR UPDATE", String.class, name);
    }
}
