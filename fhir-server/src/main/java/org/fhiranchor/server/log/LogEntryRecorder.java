package org.fhiranchor.server.log;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Writes log entries into the outbox table in the SAME transaction as the versions they describe:
 * entries are collected during the transaction and batch-inserted just before it commits, on the
 * transaction's own connection. If the transaction rolls back, so do they; if it commits, they exist.
 */
public final class LogEntryRecorder {

    private static final String INSERT = "INSERT INTO anchor_log_entry "
            + "(resource_type, resource_id, version_id, operation, content_hash, salt, recorded_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?)";

    private final JdbcTemplate jdbc;
    private final Object resourceKey = new Object();
    private final Object collectorKey = new Object();

    public LogEntryRecorder(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void record(PendingEntry entry) {
        @SuppressWarnings("unchecked")
        List<PendingEntry> collector = (List<PendingEntry>) TransactionSynchronizationManager.getResource(collectorKey);
        if (collector != null) {
            collector.add(entry);
            return;
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            // Storage hooks always run inside HAPI's transaction; this is only a safety net.
            insert(List.of(entry));
            return;
        }
        @SuppressWarnings("unchecked")
        List<PendingEntry> batch = (List<PendingEntry>) TransactionSynchronizationManager.getResource(resourceKey);
        if (batch == null) {
            List<PendingEntry> created = new ArrayList<>();
            TransactionSynchronizationManager.bindResource(resourceKey, created);
            TransactionSynchronizationManager.registerSynchronization(new FlushBeforeCommit(created));
            batch = created;
        }
        batch.add(entry);
    }

    /**
     * Runs {@code writes} in the current transaction and returns the entries of the versions they wrote, which
     * are NOT recorded as log entries: the caller makes them batch members ({@link BatchMembers}).
     */
    List<PendingEntry> collecting(Runnable writes) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("batch members are written inside a transaction");
        }
        List<PendingEntry> collected = new ArrayList<>();
        TransactionSynchronizationManager.bindResource(collectorKey, collected);
        try {
            writes.run();
        } finally {
            TransactionSynchronizationManager.unbindResource(collectorKey);
        }
        return collected;
    }

    private void insert(List<PendingEntry> entries) {
        jdbc.batchUpdate(INSERT, entries, 500, (ps, e) -> {
            ps.setString(1, e.resourceType());
            ps.setString(2, e.resourceId());
            ps.setLong(3, e.versionId());
            ps.setShort(4, (short) e.operation().code());
            ps.setString(5, HexFormat.of().formatHex(e.contentHash()));
            ps.setString(6, HexFormat.of().formatHex(e.salt()));
            ps.setTimestamp(7, Timestamp.from(e.recordedAt()));
        });
    }

    /** Flushes one transaction's entries; follows the transaction through suspend and resume. */
    private final class FlushBeforeCommit implements TransactionSynchronization {
        private final List<PendingEntry> entries;

        FlushBeforeCommit(List<PendingEntry> entries) {
            this.entries = entries;
        }

        @Override
        public void suspend() {
            TransactionSynchronizationManager.unbindResourceIfPossible(resourceKey);
        }

        @Override
        public void resume() {
            TransactionSynchronizationManager.bindResource(resourceKey, entries);
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            if (!entries.isEmpty()) {
                insert(entries);
            }
        }

        @Override
        public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(resourceKey);
        }
    }
}
