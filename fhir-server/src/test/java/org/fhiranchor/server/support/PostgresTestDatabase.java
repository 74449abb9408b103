package org.fhiranchor.server.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A throw-away database on a real PostgreSQL server (by default 127.0.0.1:5432, user fhir, as
 * {@code .ci/run} sets it up; override with FHIR_ANCHOR_TEST_POSTGRES_URL/_USER/_PASSWORD).
 * Each test JVM creates its own database and drops it at exit. Without a reachable server the
 * tests are skipped with a message, except under CI, where they must run.
 */
public final class PostgresTestDatabase implements ExecutionCondition {

    private static final String ADMIN_URL =
            env("FHIR_ANCHOR_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/fhir");
    public static final String USER = env("FHIR_ANCHOR_TEST_POSTGRES_USER", "fhir");
    public static final String PASSWORD = env("FHIR_ANCHOR_TEST_POSTGRES_PASSWORD", "fhir");

    /** This JVM's databases, one per test context that asks (a context's log belongs with its own dev chain). */
    private static final java.util.Map<String, String> DATABASES = new java.util.HashMap<>();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> problem = unreachableReason();
        if (problem.isEmpty()) {
            return ConditionEvaluationResult.enabled("PostgreSQL reachable at " + ADMIN_URL);
        }
        if ("true".equals(System.getenv("CI"))) {
            // In CI a missing database is a broken setup, never a reason to skip.
            return ConditionEvaluationResult.enabled(
                    "CI: PostgreSQL must be reachable; the test will fail: " + problem.get());
        }
        return ConditionEvaluationResult.disabled("SKIPPED: no PostgreSQL at " + ADMIN_URL + " (" + problem.get()
                + "); .ci/run installs and starts one, or set FHIR_ANCHOR_TEST_POSTGRES_URL");
    }

    /** JDBC URL of this JVM's own database, created on first use. */
    public static String url() {
        return url("default");
    }

    /** JDBC URL of this JVM's database for one test context, created on first use and dropped at exit. */
    public static synchronized String url(String context) {
        return DATABASES.computeIfAbsent(context, c -> {
            String name = "fhir_anchor_test_"
                    + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            execute("CREATE DATABASE " + name);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(() -> execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")));
            return ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + name;
        });
    }

    private static Optional<String> unreachableReason() {
        try (Connection ignored = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD)) {
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL: " + sql + " failed: " + e.getMessage(), e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
