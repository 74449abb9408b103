package org.fhiranchor.server.archive;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the archiver on its own thread, apart from the anchoring jobs: a slow or absent IPFS store must never delay
 * sequencing or anchoring. Stopped before the database goes away.
 */
public final class ArchiveJobs implements SmartLifecycle {

    private final Archiver archiver;
    private final Duration interval;
    private ScheduledExecutorService executor;

    public ArchiveJobs(Archiver archiver, Duration interval) {
        this.archiver = archiver;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "archive-job");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(archiver::run, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                    executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
