package org.fhiranchor.server.jobs;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A lock shared by every server replica on one database: a row locked FOR UPDATE until the
 * surrounding transaction ends. A second replica's job waits, then finds the work done.
 */
public final class JobLock {

    public static final String SEQUENCER = "sequencer";
    public static final String CHECKPOINT = "checkpoint";
    public static final String DEPLOY = "deploy";
    /** The consent decision job (consent package). */
    public static final String CONSENT = "consent";
    /** The audit trail's materializing and sealing of batches (audit package). */
    public static final String AUDIT = "audit";

    private JobLock() {}

    /** Creates the lock table if missing and the lock's row if missing; replicas racing to create it all succeed. */
    public static void create(JdbcTemplate jdbc, String name) {
        jdbc.execute("CREATE TABLE IF NOT EXISTS anchor_job_lock (lock_name VARCHAR(32) PRIMARY KEY)");
        Integer present = jdbc.queryForObject("SELECT COUNT(*) FROM anchor_job_lock WHERE lock_name = ?", Integer.class, name);
        if (present == null || present == 0) {
            try {
                jdbc.update("INSERT INTO anchor_job_lock (lock_name) VALUES (?)", name);
            } catch (DuplicateKeyException raced) {
                // another replica created it at the same moment
            }
        }
    }

    /** Must run inside a transaction; holds the lock until it commits or rolls back. */
    public static void acquire(JdbcTemplate jdbc, String name) {
        jdbc.queryForList("SELECT lock_name FROM anchor_job_lock WHERE lock_name = ? FOR UPDATE", String.class, name);
    }
}
