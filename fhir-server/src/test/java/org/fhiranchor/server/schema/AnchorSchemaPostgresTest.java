package org.fhiranchor.server.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.fhiranchor.server.support.PostgresTestDatabase;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Two replicas starting at once on one PostgreSQL: both migrations succeed, on a new database and on one a server
 * from before the migrations left, and each version is applied once (Flyway's advisory lock).
 */
@ExtendWith(PostgresTestDatabase.class)
class AnchorSchemaPostgresTest {

    /**
     * Repeated on new databases: Flyway decides to create or baseline its history table before it takes its lock,
     * and a replica that lost that race failed its start (CI did, once; about 1 in 10 here) until AnchorSchema.migrate ran Flyway again.
     */
    @RepeatedTest(10)
    void twoReplicasOnANewDatabase_bothStart(RepetitionInfo repetition) throws Exception {
        DriverManagerDataSource database = database("schema-new-" + repetition.getCurrentRepetition());

        migrateTwiceAtOnce(database);

        assertThat(AnchorSchema.versions(database)).containsExactly("1", "2", "3", "4", "4.1");
    }

    @Test
    void twoReplicasOnTheDatabaseOfAnEarlierServer_bothStart() throws Exception {
        DriverManagerDataSource database = database("schema-earlier");
        EarlierServerDatabase.create(database);

        migrateTwiceAtOnce(database);

        assertThat(AnchorSchema.versions(database)).containsExactly("0", "1", "2", "3", "4", "4.1");
        JdbcTemplate jdbc = new JdbcTemplate(database);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM anchor_log_entry", Integer.class))
                .isOne();
        assertThat(jdbc.queryForList("SELECT lock_name FROM anchor_job_lock", String.class))
                .contains("archive");
        jdbc.queryForList("SELECT claimed_until FROM anchor_checkpoint");
    }

    private static DriverManagerDataSource database(String context) {
        return new DriverManagerDataSource(
                PostgresTestDatabase.url(context), PostgresTestDatabase.USER, PostgresTestDatabase.PASSWORD);
    }

    /** Two migrations released together, each with its own pool, as two server processes would. */
    private static void migrateTwiceAtOnce(DriverManagerDataSource database) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        List<CompletableFuture<Void>> replicas = List.of(1, 2).stream()
                .map(i -> CompletableFuture.runAsync(
                        () -> {
                            try {
                                start.await(30, TimeUnit.SECONDS);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            // Two connections, as the user and client commands open the database (Flyway's lock and its
                            // migration).
                            try (HikariDataSource pool = new HikariDataSource()) {
                                pool.setJdbcUrl(database.getUrl());
                                pool.setUsername(database.getUsername());
                                pool.setPassword(database.getPassword());
                                pool.setMaximumPoolSize(2);
                                AnchorSchema.migrate(pool);
                            }
                        },
                        threads))
                .toList();
        try {
            for (CompletableFuture<Void> replica : replicas) {
                replica.get(120, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
