package org.fhiranchor.server.audit;

import ca.uhn.fhir.context.FhirContext;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * With {@code fhir-anchor.audit.store=hapi}: the audit records' outbox, an append-only table written with group
 * commit; the AuditEvent resources are materialized from it later, through HAPI ({@link AuditBatches}).
 */
final class AuditOutbox implements AuditWriter {

    static final String TABLE = "anchor_audit_outbox";

    private record Row(Instant recorded, String eventJson) {}

    private final FhirContext fhirContext;
    private final GroupCommit<Row> commits;

    AuditOutbox(JdbcTemplate jdbc, TransactionTemplate transactions, FhirContext fhirContext, Duration maxWait) {
        this.fhirContext = fhirContext;
        this.commits = new GroupCommit<>(
                "fhir-anchor-audit-writer",
                maxWait,
                rows -> transactions.executeWithoutResult(status -> insert(jdbc, rows)));
    }

    @Override
    public void write(AuditEvent event, Instant recorded) {
        commits.append(new Row(recorded, fhirContext.newJsonParser().encodeResourceToString(event)));
    }

    private static void insert(JdbcTemplate jdbc, List<Row> rows) {
        jdbc.batchUpdate("INSERT INTO " + TABLE + " (recorded_at, event_json) VALUES (?, ?)", rows, 500, (ps, row) -> {
            ps.setTimestamp(1, Timestamp.from(row.recorded()));
            ps.setString(2, row.eventJson());
        });
    }

    @Override
    public void close() {
        commits.close();
    }
}
