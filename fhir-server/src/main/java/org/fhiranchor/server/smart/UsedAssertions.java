package org.fhiranchor.server.smart;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@code jti} of every client assertion accepted, kept until the assertion expires (table
 * {@code anchor_smart_jti}, shared by every server on the same database): an assertion is good once.
 */
final class UsedAssertions {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    UsedAssertions(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    /** Records the id; {@code false} if this client used it before. */
    boolean firstUse(String clientId, String jti, Instant expiresAt) {
        jdbc.update("DELETE FROM anchor_smart_jti WHERE expires_at < ?", Timestamp.from(clock.instant()));
        try {
            jdbc.update(
                    "INSERT INTO anchor_smart_jti (client_id, jti, expires_at) VALUES (?, ?, ?)",
                    clientId,
                    jti,
                    Timestamp.from(expiresAt));
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }
}
