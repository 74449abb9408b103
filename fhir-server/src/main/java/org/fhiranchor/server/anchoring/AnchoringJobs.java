package org.fhiranchor.server.anchoring;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.fhiranchor.server.log.Sequencer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the sequencer and the anchoring job on their own threads once the server is up, and stops
 * them before the database goes away. A failed run is logged and retried at the next tick.
 */
public final class AnchoringJobs implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AnchoringJobs.class);

    private final Sequencer sequencer;
    private final Runnable anchorJob;
    private final Duration sequencerInterval;
    private final Duration jobInterval;
    private ScheduledExecutorService executor;

    public AnchoringJobs(Sequencer sequencer, Runnable anchorJob, Duration sequencerInterval, Duration jobInterval) {
        this.sequencer = sequencer;
        this.anchorJob = anchorJob;
        this.sequencerInterval = sequencerInterval;
        this.jobInterval = jobInterval;
    }

    @Override
    public synchronized void start() {
        executor = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "anchoring-job");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(guarded("sequencer", sequencer::sequenceAll), 0,
                sequencerInterval.toMillis(), TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(guarded("anchoring", anchorJob), jobInterval.toMillis(),
                jobInterval.toMillis(), TimeUnit.MILLISECONDS);
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

    private static Runnable guarded(String name, Runnable job) {
        return () -> {
            try {
                job.run();
            } catch (RuntimeException e) {
                log.warn("{} run failed, retrying at the next tick: {}", name, e.toString());
            }
        };
    }
}
