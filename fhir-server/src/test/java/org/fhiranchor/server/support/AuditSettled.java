package org.fhiranchor.server.support;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * For tests that compare the log's size with what was archived or restored: the audit trail writes in the
 * background (docs/security.md, "Committed before the response, in three steps"), so a batch record may join the log
 * seconds after the requests it records. Settled: no audit record waits to become an AuditEvent and no AuditEvent
 * waits for its batch record.
 */
public final class AuditSettled {

    private AuditSettled() {}

    public static boolean settled(JdbcTemplate jdbc) {
        Long waiting = jdbc.queryForObject(
                "SELECT (SELECT COUNT(*) FROM anchor_audit_outbox)"
                        + " + (SELECT COUNT(*) FROM anchor_batch_member WHERE batch_id IS NULL)",
                Long.class);
        return waiting != null && waiting == 0;
    }

    /** How many AuditEvents are sealed in a batch. */
    public static long sealedMembers(JdbcTemplate jdbc) {
        Long sealed =
                jdbc.queryForObject("SELECT COUNT(*) FROM anchor_batch_member WHERE batch_id IS NOT NULL", Long.class);
        return sealed == null ? 0 : sealed;
    }
}
