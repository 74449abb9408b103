package org.fhiranchor.server.audit;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: callers hand over one item each and wait; one thread writes every item waiting in one
 * transaction ({@code writeAll}, which commits or throws), so concurrent requests share one commit. An item is
 * committed before {@link #append} returns.
 */
final class GroupCommit<T> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
    private static final int MAX_GROUP = 500;

    private record Pending<T>(T item, CompletableFuture<Void> done) {}

    private final Consumer<List<T>> writeAll;
    private final Duration maxWait;
    private final BlockingQueue<Pending<T>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;
    private volatile Timer waits;
    private volatile DistributionSummary groupSizes;

    GroupCommit(String threadName, Duration maxWait, Consumer<List<T>> writeAll) {
        this.writeAll = writeAll;
        this.maxWait = maxWait;
        this.writer = new Thread(this::writeLoop, threadName);
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * Registers {@code <name>.wait} (how long a caller waited for its commit: every request's audit record is on
     * its critical path) and {@code <name>.group} (items per commit).
     */
    GroupCommit<T> withMetrics(MeterRegistry registry, String name, String what) {
        waits = Timer.builder(name + ".wait")
                .description("Time a request waited for its " + what + " to commit")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        groupSizes = DistributionSummary.builder(name + ".group")
                .description(what + "s committed together in one transaction")
                .register(registry);
        return this;
    }

    /**
     * Hands {@code item} to the writer and returns once it is committed.
     *
     * @throws IllegalStateException if it could not be committed within the configured wait
     */
    void append(T item) {
        if (closed) {
            throw new IllegalStateException("the audit writer is closed");
        }
        Pending<T> pending = new Pending<>(item, new CompletableFuture<>());
        long started = System.nanoTime();
        queue.add(pending);
        try {
            pending.done().get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
            Timer timer = waits;
            if (timer != null) {
                timer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the audit record was written", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the audit record could not be written", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the audit record was not written within " + maxWait, e);
        }
    }

    /** Items handed over and not yet taken by the writer. */
    int waiting() {
        return queue.size();
    }

    private void writeLoop() {
        List<Pending<T>> group = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Pending<T> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                writeAll.accept(group.stream().map(Pending::item).toList());
                DistributionSummary sizes = groupSizes;
                if (sizes != null) {
                    sizes.record(group.size());
                }
                group.forEach(p -> p.done().complete(null));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                group.forEach(p -> p.done().completeExceptionally(e));
                return;
            } catch (RuntimeException e) {
                LOG.error(
                        "Audit records could not be committed ({} waiting): {}",
                        group.size(),
                        e.getClass().getName());
                group.forEach(p -> p.done().completeExceptionally(e));
            }
            group.clear();
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
