package org.fhiranchor.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.fhiranchor.server.schema.AnchorSchema;
import org.fhiranchor.server.support.PostgresTestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The job lock on PostgreSQL: replicas still take turns, and a step that finds nothing to do writes nothing (its
 * transaction gets no transaction id, so its commit has no WAL record to flush).
 */
@ExtendWith(PostgresTestDatabase.class)
class JobLockPostgresTest {

    private final DriverManagerDataSource dataSource = new DriverManagerDataSource(
            PostgresTestDatabase.url("joblock"), PostgresTestDatabase.USER, PostgresTestDatabase.PASSWORD);
    private final JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    private final TransactionTemplate transactions =
            new TransactionTemplate(new DataSourceTransactionManager(dataSource));

    JobLockPostgresTest() {
        AnchorSchema.migrate(dataSource);
        jdbc.execute("CREATE TABLE IF NOT EXISTS done_item (item INT)");
        jdbc.execute("DELETE FROM done_item");
    }

    @Test
    void anIdleStepHoldsTheLockWithoutWriting() {
        JobLock lock = new JobLock(JobLock.SEQUENCER, jdbc, transactions);

        Long transactionId = lock.call(() -> jdbc.queryForObject("SELECT txid_current_if_assigned()", Long.class));

        assertThat(transactionId)
                .as("a row lock (SELECT ... FOR UPDATE) would have given the transaction an id and a commit to flush")
                .isNull();
    }

    @Test
    void aSecondHolderWaits_untilTheFirstStepCommits() throws Exception {
        JobLock first = new JobLock(JobLock.AUDIT, jdbc, transactions);
        JobLock second = new JobLock(JobLock.AUDIT, jdbc, transactions);
        CountDownLatch firstHolds = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> first.run(() -> {
            firstHolds.countDown();
            sleep(400);
            jdbc.update("INSERT INTO done_item (item) VALUES (1)");
        }));
        assertThat(firstHolds.await(10, TimeUnit.SECONDS)).isTrue();

        // The first step holds the lock for 400 ms before it writes: a second step that did not wait would see no row.
        int seen = second.call(() -> jdbc.queryForObject("SELECT COUNT(*) FROM done_item", Integer.class));

        assertThat(seen)
                .as("the second step waited for the first to commit and sees its work")
                .isEqualTo(1);
        holder.get(10, TimeUnit.SECONDS);
    }

    @Test
    void differentLocksDoNotWaitForEachOther() throws Exception {
        JobLock audit = new JobLock(JobLock.AUDIT, jdbc, transactions);
        JobLock archive = new JobLock(JobLock.ARCHIVE, jdbc, transactions);
        CountDownLatch auditHolds = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> audit.run(() -> {
            auditHolds.countDown();
            await(release);
        }));
        assertThat(auditHolds.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Integer> other = CompletableFuture.supplyAsync(() -> archive.call(() -> 7));

        assertThat(other.get(10, TimeUnit.SECONDS)).isEqualTo(7);
        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
