package org.fhiranchor.server.bulk;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.dao.support.DataAccessUtils;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The table {@code anchor_bulk_export}: who started each export and with which scopes, kept with the
 * export's key (which the job and every file carry), so that the job can filter for that grant on any
 * replica and after a restart, and only the requester reads the status and the files.
 */
final class BulkExportRepository {

    /** One export's requester. */
    record Requester(String exportKey, String subject, String role, String clientId, String scopes, String fhirUser) {}

    private final JdbcTemplate jdbc;

    BulkExportRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Requester requester, Instant now) {
        jdbc.update(
                "INSERT INTO anchor_bulk_export (export_key, subject, role, client_id, scopes, fhir_user, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                requester.exportKey(),
                requester.subject(),
                requester.role(),
                requester.clientId(),
                requester.scopes(),
                requester.fhirUser(),
                Timestamp.from(now));
    }

    Optional<Requester> find(String exportKey) {
        return DataAccessUtils.optionalResult(jdbc.query(
                "SELECT export_key, subject, role, client_id, scopes, fhir_user FROM anchor_bulk_export"
                        + " WHERE export_key = ?",
                (rs, row) -> new Requester(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6)),
                exportKey));
    }

    /** Notes the export as released; true for exactly one caller (a conditional update), across replicas. */
    boolean markReleased(String exportKey, Instant now) {
        return jdbc.update(
                        "UPDATE anchor_bulk_export SET released_at = ? WHERE export_key = ? AND released_at IS NULL",
                        Timestamp.from(now),
                        exportKey)
                == 1;
    }

    void unmarkReleased(String exportKey) {
        jdbc.update("UPDATE anchor_bulk_export SET released_at = NULL WHERE export_key = ?", exportKey);
    }
}
