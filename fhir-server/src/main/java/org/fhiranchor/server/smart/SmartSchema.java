package org.fhiranchor.server.smart;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The authorization server's tables, created if missing: users, used client-assertion ids, and
 * Spring Authorization Server's own three (registered clients, authorizations, consents) from the
 * schema files in its jar, with the PostgreSQL changes its comments ask for ({@code blob} to
 * {@code text}, {@code timestamp} to {@code timestamptz}).
 */
final class SmartSchema {

    private static final String AS_SCHEMAS = "org/springframework/security/oauth2/server/authorization/";

    private static final String[] OWN = {
        """
        CREATE TABLE IF NOT EXISTS anchor_smart_user (
          username VARCHAR(100) PRIMARY KEY,
          password_hash VARCHAR(500) NOT NULL,
          role VARCHAR(32) NOT NULL,
          fhir_user VARCHAR(200),
          enabled BOOLEAN NOT NULL,
          failed_logins INT DEFAULT 0 NOT NULL,
          locked_until TIMESTAMP,
          created_at TIMESTAMP NOT NULL
        )""",
        """
        CREATE TABLE IF NOT EXISTS anchor_smart_jti (
          client_id VARCHAR(100) NOT NULL,
          jti VARCHAR(255) NOT NULL,
          expires_at TIMESTAMP NOT NULL,
          PRIMARY KEY (client_id, jti)
        )"""
    };

    private SmartSchema() {}

    static void create(DataSource dataSource) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        boolean postgres = isPostgres(dataSource);
        for (String statement : OWN) {
            jdbc.execute(statement);
        }
        for (String file : new String[] {"client/oauth2-registered-client-schema.sql", "oauth2-authorization-schema.sql",
                "oauth2-authorization-consent-schema.sql"}) {
            String sql = resource(AS_SCHEMAS + file).replaceAll("(?s)/\\*.*?\\*/", "")
                    .replace("CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ")
                    // An inline JWKS lives in the client settings: room for a few RSA keys.
                    .replace("client_settings varchar(2000)", "client_settings varchar(16000)");
            if (postgres) {
                sql = sql.replace(" blob ", " text ").replace(" timestamp ", " timestamptz ");
            }
            for (String statement : sql.split(";")) {
                if (!statement.isBlank()) {
                    jdbc.execute(statement);
                }
            }
        }
    }

    private static boolean isPostgres(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the database", e);
        }
    }

    private static String resource(String path) {
        try (InputStream in = SmartSchema.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Missing " + path + " (spring-security-oauth2-authorization-server)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
