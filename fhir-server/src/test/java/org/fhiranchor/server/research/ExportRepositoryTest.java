package org.fhiranchor.server.research;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.fhiranchor.server.schema.AnchorSchema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The export table's claim protocol: one runner per export, takeover of a dead runner's export, cancel, requeue. */
class ExportRepositoryTest {

    private final Instant t0 = Instant.parse("2026-11-21T10:00:00Z");
    private ExportRepository exports;

    @BeforeEach
    void database() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(
                "jdbc:h2:mem:exports-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        AnchorSchema.migrate(dataSource);
        exports = new ExportRepository(new JdbcTemplate(dataSource));
    }

    private static ExportRequest request() {
        return new ExportRequest(
                "Organization/lab", "HRESCH", List.of("Observation", "Patient"), null, "safe-harbor", "key");
    }

    @Test
    void anExportIsClaimedByOneRunnerOnly_andKeepsItsTransactionTimeWhenTakenOver() {
        exports.insert("e1", request(), t0);
        ExportRecord claimed =
                exports.claimNext("a", t0.plusSeconds(1), t0.minusSeconds(120)).orElseThrow();
        assertThat(claimed.status()).isEqualTo(ExportStatus.RUNNING);
        assertThat(claimed.transactionTime()).isEqualTo(t0.plusSeconds(1));
        assertThat(claimed.request().types()).containsExactly("Observation", "Patient");
        // Another runner finds nothing while the first one's heartbeat is fresh.
        assertThat(exports.claimNext("b", t0.plusSeconds(2), t0.plusSeconds(2).minus(Duration.ofMinutes(2))))
                .isEmpty();
        assertThat(exports.heartbeat("e1", "a", "reading", t0.plusSeconds(30))).isTrue();
        // The first runner dies; after the stale period the second takes the export over, with the same time.
        Instant later = t0.plus(Duration.ofMinutes(5));
        ExportRecord takenOver = exports.claimNext("b", later, later.minus(Duration.ofMinutes(2)))
                .orElseThrow();
        assertThat(takenOver.transactionTime()).isEqualTo(t0.plusSeconds(1));
        // The dead runner, were it to wake up, may no longer write.
        assertThat(exports.heartbeat("e1", "a", "reading", later)).isFalse();
        exports.complete("e1", "a", "cid-m", "cid-p", "Provenance/x/_history/1", later);
        assertThat(exports.find("e1").orElseThrow().status()).isEqualTo(ExportStatus.RUNNING);
        exports.complete("e1", "b", "cid-m", "cid-p", "Provenance/x/_history/1", later);
        assertThat(exports.find("e1").orElseThrow().status()).isEqualTo(ExportStatus.COMPLETE);
    }

    @Test
    void cancelStopsTheRunner_andRequeueGivesItBack() {
        exports.insert("e2", request(), t0);
        assertThat(exports.claimNext("a", t0, t0.minusSeconds(120))).isPresent();
        exports.requeue("e2", "a");
        assertThat(exports.find("e2").orElseThrow().status()).isEqualTo(ExportStatus.QUEUED);
        assertThat(exports.claimNext("b", t0, t0.minusSeconds(120))).isPresent();
        assertThat(exports.cancel("e2", t0)).isTrue();
        assertThat(exports.heartbeat("e2", "b", "reading", t0)).isFalse();
        assertThat(exports.cancel("e2", t0)).isFalse();
        exports.fail("e2", "b", "late failure", t0);
        assertThat(exports.find("e2").orElseThrow().status()).isEqualTo(ExportStatus.CANCELLED);
    }
}
