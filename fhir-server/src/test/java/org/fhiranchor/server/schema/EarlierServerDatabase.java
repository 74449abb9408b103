package org.fhiranchor.server.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A database as a server from before the migrations left it: the project's tables created by the same
 * statements (today's V1 and V2, run by hand, without Flyway and so without a history table), beside a table of
 * HAPI's, with one log entry and, as on a server older still, no {@code claimed_until} column and no
 * {@code archive} lock row.
 */
final class EarlierServerDatabase {

    private EarlierServerDatabase() {}

    static void create(DataSource dataSource) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        String vendor = AnchorSchema.vendor(dataSource);
        jdbc.execute("CREATE TABLE hfj_resource (res_id BIGINT PRIMARY KEY)");
        for (String file :
                new String[] {"common/V1__anchor_tables.sql", vendor + "/V2__authorization_server_tables.sql"}) {
            for (String statement : statements("db/anchor/" + file)) {
                jdbc.execute(statement);
            }
        }
        jdbc.execute("ALTER TABLE anchor_checkpoint DROP COLUMN claimed_until");
        jdbc.update("DELETE FROM anchor_job_lock WHERE lock_name = 'archive'");
        jdbc.update(
                "INSERT INTO anchor_log_entry (resource_type, resource_id, version_id, operation, content_hash, salt,"
                        + " recorded_at) VALUES ('Patient', 'p1', 1, 0, ?, ?, CURRENT_TIMESTAMP)",
                "a".repeat(64),
                "b".repeat(64));
    }

    private static String[] statements(String resource) {
        try (InputStream in = EarlierServerDatabase.class.getClassLoader().getResourceAsStream(resource)) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(line -> !line.startsWith("--"))
                    .collect(Collectors.joining("\n"));
            return java.util.Arrays.stream(sql.split(";"))
                    .filter(s -> !s.isBlank())
                    .toArray(String[]::new);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
