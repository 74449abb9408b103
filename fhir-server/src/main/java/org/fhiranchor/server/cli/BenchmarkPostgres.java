package org.fhiranchor.server.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The PostgreSQL server on which the benchmark creates its throw-away databases (phases {@code replicas} and
 * {@code scale} with {@code --scale-database postgresql}): one fresh database per server configuration, dropped
 * afterwards. {@code adminUrl} names a database the user can connect to and create databases from.
 */
record BenchmarkPostgres(String adminUrl, String user, String password) {

    /** Creates an empty database with a random name and returns the name. */
    String createDatabase() throws SQLException {
        String database = "fhir_anchor_bench_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE DATABASE " + database);
        return database;
    }

    /** Drops the database even while servers are still connected to it. */
    void dropDatabase(String database) throws SQLException {
        execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    /** The server arguments that point it at {@code database} (the password goes in {@link #serverEnvironment()}). */
    List<String> serverArgs(String database) {
        return List.of(
                "--spring.profiles.active=postgres",
                "--spring.datasource.url=" + adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + database,
                "--spring.datasource.username=" + user);
    }

    /** The password, passed in the environment so that it is not on a command line. */
    Map<String, String> serverEnvironment() {
        return Map.of("SPRING_DATASOURCE_PASSWORD", password);
    }

    /** {@code pg_database_size}: every table, index and TOAST file of the database, in bytes. */
    long databaseBytes(String database) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement size = connection.prepareStatement("SELECT pg_database_size(?)")) {
            size.setString(1, database);
            try (ResultSet row = size.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private void execute(String statement) throws SQLException {
        try (Connection connection = connect();
                Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(adminUrl, user, password);
    }
}
