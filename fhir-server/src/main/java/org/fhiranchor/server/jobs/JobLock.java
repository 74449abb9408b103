package org.fhiranchor.server.jobs;

import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A lock shared by every server replica on one database, held until the surrounding transaction ends. A second
 * replica's job waits, then finds the work done. On PostgreSQL it is a transaction-level advisory lock
 * ({@code pg_advisory_xact_lock}), which writes nothing: a job run that finds no work commits a read-only
 * transaction, with no WAL record to flush, instead of a durable commit several times a second that every request's
 * own commit would queue behind. On other databases (H2) it is the lock's row in {@code anchor_job_lock}, locked FOR
 * UPDATE; the table and its rows come from the migrations (db/anchor, schema package), so a new lock is a new
 * migration that inserts its row.
 *
 * <p>It is also the skeleton of the jobs that work under it: {@link #call}/{@link #run} is one step of work in a
 * transaction that holds the lock, {@link #drain} works off a backlog in batches, one transaction (and one turn at
 * the lock) per batch, until a batch comes back short. The scheduled loop, and the retry of a failed run at the
 * next tick, are {@link PeriodicJobs}'. What a job does in a step, and how it marks its work done, stays the job's.
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

    private final String name;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    /** The lock {@code name} (one of the constants) on the database behind {@code jdbc}. */
    public JobLock(String name, JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.name = name;
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /**
     * Runs {@code step} in a transaction that holds the lock until it commits or rolls back (a transaction already
     * open on this thread is joined); returns what the step returns.
     */
    public <T> T call(Supplier<T> step) {
        return transactions.execute(status -> {
            acquire();
            return step.get();
        });
    }

    /** {@link #call} for a step with no result. */
    public void run(Runnable step) {
        transactions.executeWithoutResult(status -> {
            acquire();
            step.run();
        });
    }

    /**
     * Works off a backlog: {@code batch} (which returns how many items it handled) runs in a transaction of its own
     * holding the lock, again and again until it handles fewer than {@code fullBatch}. The lock is held for one batch
     * at a time, so replicas take turns and a crash loses at most the batch in flight. Returns the items handled.
     */
    public long drain(IntSupplier batch, int fullBatch) {
        long total = 0;
        while (true) {
            Integer handled = call(batch::getAsInt);
            total += handled == null ? 0 : handled;
            if (handled == null || handled < fullBatch) {
                return total;
            }
        }
    }

    private void acquire() {
        if (advisory()) {
            jdbc.query("SELECT pg_advisory_xact_lock(?, ?)", rs -> {}, ADVISORY_CLASS, advisoryKey(name));
        } else {
            jdbc.queryForList(
                    "SELECT lock_name FROM anchor_job_lock WHERE lock_name = ? FOR UPDATE", String.class, name);
        }
    }

    /** The first key of every FHIR Anchor advisory lock ("FANC"), so that other users of the database keep theirs. */
    static final int ADVISORY_CLASS = 0x46414E43;

    /** The second key: a hash of the lock's name, the same in every replica (CRC-32, not String.hashCode's spec). */
    static int advisoryKey(String name) {
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    private volatile Boolean advisory;

    private boolean advisory() {
        Boolean known = advisory;
        if (known == null) {
            known = "PostgreSQL".equals(jdbc.execute((ConnectionCallback<String>)
                    connection -> connection.getMetaData().getDatabaseProductName()));
            advisory = known;
        }
        return known;
    }
}
