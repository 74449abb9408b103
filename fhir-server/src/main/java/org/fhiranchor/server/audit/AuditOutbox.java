package org.fhiranchor.server.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable first step of every audit record: an append-only table the request thread waits on, written by
 * one thread with group commit (every record waiting is inserted and committed together, so concurrent
 * requests share one commit). A record is in the table, committed, before its request is answered; the
 * AuditEvent resources are materialized from it later ({@link AuditBatches}).
 */
final class AuditOutbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditOutbox.class);
    static final String TABLE = "anchor_audit_outbox";
    private static final int MAX_GROUP = 500;

    private record Pending(Instant recorded, String eventJson, CompletableFuture<Void> done) {}

    private final DataSource dataSource;
    private final Duration maxWait;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    AuditOutbox(DataSource dataSource, Duration maxWait) {
        this.dataSource = dataSource;
        this.maxWait = maxWait;
        this.writer = new Thread(this::writeLoop, "fhir-anchor-audit-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * Appends one AuditEvent (its JSON) and returns once it is committed.
     *
     * @throws IllegalStateException if it could not be committed within the configured wait
     */
    void append(Instant recorded, String eventJson) {
        if (closed) {
            throw new IllegalStateException("the audit outbox is closed");
        }
        Pending pending = new Pending(recorded, eventJson, new CompletableFuture<>());
        queue.add(pending);
        try {
            pending.done().get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the audit record was written", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the audit record could not be written", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the audit record was not written within " + maxWait, e);
        }
    }

    private void writeLoop() {
        List<Pending> group = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                write(group);
                group.forEach(p -> p.done().complete(null));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                group.forEach(p -> p.done().completeExceptionally(e));
                return;
            } catch (SQLException | RuntimeException e) {
                LOG.error(
                        "Audit records could not be committed ({} waiting): {}",
                        group.size(),
                        e.getClass().getName());
                group.forEach(p -> p.done().completeExceptionally(e));
            }
            group.clear();
        }
    }

    private void write(List<Pending> group) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (PreparedStatement insert =
                    connection.prepareStatement("INSERT INTO " + TABLE + " (recorded_at, event_json) VALUES (?, ?)")) {
                for (Pending pending : group) {
                    insert.setTimestamp(1, Timestamp.from(pending.recorded()));
                    insert.setString(2, pending.eventJson());
                    insert.addBatch();
                }
                insert.executeBatch();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
