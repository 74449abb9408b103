package org.fhiranchor.server.jobs;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs a feature's jobs, each with a fixed delay between runs, on threads of their own once the
 * server is up, and stops them before the database goes away. A failed run is logged (exception
 * class only: messages can quote data) and retried at the next tick; without that guard one
 * exception would silently cancel every later run.
 */
public final class PeriodicJobs implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PeriodicJobs.class);

    /** One job: a name for its thread and the log, what it runs, and how long to wait between runs. */
    public record Job(String name, Runnable task, Duration initialDelay, Duration interval) {}

    private final List<Job> jobs;
    private final int niceness;
    private ScheduledExecutorService executor;

    /** Jobs on threads at the server's own CPU priority. */
    public PeriodicJobs(List<Job> jobs) {
        this(jobs, 0);
    }

    /** @param niceness see {@link JobsProperties#niceness()} */
    public PeriodicJobs(List<Job> jobs, int niceness) {
        this.jobs = List.copyOf(jobs);
        this.niceness = niceness;
    }

    @Override
    public synchronized void start() {
        executor = Executors.newScheduledThreadPool(jobs.size(), runnable -> {
            Thread thread = new Thread(
                    () -> {
                        ThreadNiceness.lowerCurrentThread(niceness);
                        runnable.run();
                    },
                    "fhir-anchor-job");
            thread.setDaemon(true);
            return thread;
        });
        for (Job job : jobs) {
            executor.scheduleWithFixedDelay(
                    guarded(job), job.initialDelay().toMillis(), job.interval().toMillis(), TimeUnit.MILLISECONDS);
        }
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

    private static Runnable guarded(Job job) {
        return () -> {
            Thread.currentThread().setName(job.name());
            try {
                job.task().run();
            } catch (RuntimeException e) {
                log.warn(
                        "{} run failed, retrying at the next tick: {}",
                        job.name(),
                        e.getClass().getSimpleName());
            }
        };
    }
}
