package org.fhiranchor.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class PeriodicJobsTest {

    @Test
    void aFailedRun_isRetriedAtTheNextTick_andStopEndsTheRuns() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        PeriodicJobs jobs = new PeriodicJobs(List.of(new PeriodicJobs.Job(
                "flaky",
                () -> {
                    if (runs.incrementAndGet() == 1) {
                        throw new IllegalStateException("first run fails");
                    }
                },
                Duration.ZERO,
                Duration.ofMillis(10))));
        jobs.start();
        try {
            await("runs after a failure").atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 3);
        } finally {
            jobs.stop();
        }
        assertThat(jobs.isRunning()).isFalse();
        int afterStop = runs.get();
        await("no run after stop")
                .during(Duration.ofMillis(100))
                .atMost(Duration.ofSeconds(10))
                .until(() -> runs.get() == afterStop);
        assertThat(runs.get()).isEqualTo(afterStop);
    }

    @Test
    void jobThreadsRunAtTheConfiguredNiceness_whileTheCallerKeepsItsOwn() throws Exception {
        OptionalInt callers = ThreadNiceness.ofCurrentThread();
        Assumptions.assumeTrue(callers.isPresent(), "Linux /proc only");
        Assumptions.assumeTrue(callers.getAsInt() < 19, "already at the lowest priority");
        int wanted = Math.min(19, callers.getAsInt() + 7);
        CompletableFuture<OptionalInt> seen = new CompletableFuture<>();
        PeriodicJobs jobs = new PeriodicJobs(
                List.of(new PeriodicJobs.Job(
                        "nice",
                        () -> seen.complete(ThreadNiceness.ofCurrentThread()),
                        Duration.ZERO,
                        Duration.ofSeconds(10))),
                wanted);
        jobs.start();
        try {
            assertThat(seen.get(30, TimeUnit.SECONDS)).hasValue(wanted);
        } finally {
            jobs.stop();
        }
        assertThat(ThreadNiceness.ofCurrentThread()).isEqualTo(callers);
    }
}
