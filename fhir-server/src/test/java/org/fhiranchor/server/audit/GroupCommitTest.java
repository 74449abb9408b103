package org.fhiranchor.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    @Test
    void itemsWaitingTogetherShareOneCommitAndEachWaitIsTimed() throws Exception {
        List<List<Integer>> commits = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch firstCommitStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try (GroupCommit<Integer> group = new GroupCommit<Integer>("test-writer", Duration.ofSeconds(10), items -> {
                    firstCommitStarted.countDown();
                    await(release);
                    commits.add(List.copyOf(items));
                })
                .withMetrics(registry, "test.commit", "record")) {
            Future<?> first = callers.submit(() -> group.append(0));
            firstCommitStarted.await(10, TimeUnit.SECONDS);
            // While the first commit runs, three more callers queue up: the next commit takes all three.
            List<Future<?>> others = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                int item = i;
                others.add(callers.submit(() -> group.append(item)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (group.waiting() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(group.waiting()).isEqualTo(3);
            release.countDown();
            first.get(10, TimeUnit.SECONDS);
            for (Future<?> other : others) {
                other.get(10, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }

        assertThat(commits).hasSize(2);
        assertThat(commits.get(0)).containsExactly(0);
        assertThat(commits.get(1)).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(registry.find("test.commit.wait").timer().count()).isEqualTo(4);
        assertThat(registry.find("test.commit.group").summary().count()).isEqualTo(2);
        assertThat(registry.find("test.commit.group").summary().totalAmount()).isEqualTo(4);
    }

    @Test
    void aFailedCommitFailsEveryCallerInItAndIsNotTimedAsCommitted() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (GroupCommit<Integer> group = new GroupCommit<Integer>("test-writer", Duration.ofSeconds(10), items -> {
                    throw new IllegalStateException("disk full");
                })
                .withMetrics(registry, "test.commit", "record")) {
            assertThatThrownBy(() -> group.append(1))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("could not be written");
        }
        assertThat(registry.find("test.commit.wait").timer().count()).isZero();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
