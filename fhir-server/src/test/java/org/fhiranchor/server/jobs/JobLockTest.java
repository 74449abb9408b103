package org.fhiranchor.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.fhiranchor.server.schema.AnchorSchema;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/** The job skeleton on a real lock row (H2, the project's migrations): batches, their transactions, the turn-taking. */
class JobLockTest {

    private final DriverManagerDataSource dataSource =
            new DriverManagerDataSource("jdbc:h2:mem:joblock-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    private final JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    private final JobLock lock;

    JobLockTest() {
        AnchorSchema.migrate(dataSource);
        jdbc.execute("CREATE TABLE done_item (item INT)");
        lock = new JobLock(JobLock.AUDIT, jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
    }

    @Test
    void drain_runsBatchesUntilOneIsShort_andReturnsTheItemsHandled() {
        Deque<Integer> sizes = new ArrayDeque<>(List.of(3, 3, 1, 3));

        long handled = lock.drain(() -> insert(sizes.pop()), 3);

        assertThat(handled).isEqualTo(7);
        assertThat(sizes).containsExactly(3);
        assertThat(rows()).isEqualTo(7);
    }

    @Test
    void eachBatchCommitsOnItsOwn_aFailingBatchRollsBackOnlyItself() {
        Deque<Integer> sizes = new ArrayDeque<>(List.of(3, 3, -1));

        assertThatThrownBy(() -> lock.drain(
                        () -> {
                            int size = sizes.pop();
                            insert(Math.abs(size));
                            if (size < 0) {
                                throw new IllegalStateException("batch failed after writing");
                            }
                            return size;
                        },
                        3))
                .isInstanceOf(IllegalStateException.class);

        assertThat(rows()).isEqualTo(6);
    }

    @Test
    void aSecondHolderWaits_untilTheFirstStepCommits() throws Exception {
        CountDownLatch firstHolds = new CountDownLatch(1);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> lock.run(() -> {
            firstHolds.countDown();
            sleep(400);
            insert(1);
        }));
        assertThat(firstHolds.await(10, TimeUnit.SECONDS)).isTrue();

        // The first step holds the lock for 400 ms before it writes: a second step that did not wait would see no row.
        int seen = lock.call(this::rows);

        assertThat(seen)
                .as("the second step waited for the first to commit and sees its work")
                .isEqualTo(1);
        first.get(10, TimeUnit.SECONDS);
    }

    private int insert(int items) {
        for (int i = 0; i < items; i++) {
            jdbc.update("INSERT INTO done_item (item) VALUES (?)", i);
        }
        return items;
    }

    private int rows() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM done_item", Integer.class);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
