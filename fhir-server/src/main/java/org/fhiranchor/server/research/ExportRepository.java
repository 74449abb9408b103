package org.fhiranchor.server.research;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.support.DataAccessUtils;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * The table {@code anchor_research_export} (H2 and PostgreSQL): one row per export, created at kick-off, claimed
 * by one runner at a time (a conditional update, so replicas never run the same export twice), kept alive by a
 * heartbeat so that an export whose server died is taken over.
 */
public final class ExportRepository {

    private static final String COLUMNS =
            "export_id, requester, purpose, types, since, profile, recipient_key, status, "
                    + "progress, created_at, transaction_time, completed_at, manifest_cid, proof_cid, provenance, error";

    private final JdbcTemplate jdbc;

    public ExportRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(String exportId, ExportRequest request, Instant now) {
        jdbc.update(
                "INSERT INTO anchor_research_export (export_id, requester, purpose, types, since, profile, recipient_key,"
                        + " status, progress, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                exportId,
                request.requester(),
                request.purposeOfUse(),
                String.join(",", request.types()),
                request.since() == null ? null : Timestamp.from(request.since()),
                request.profile(),
                request.recipientPublicKey(),
                ExportStatus.QUEUED.name(),
                "queued",
                Timestamp.from(now));
    }

    public Optional<ExportRecord> find(String exportId) {
        return DataAccessUtils.optionalResult(
                jdbc.query("SELECT " + COLUMNS + " FROM anchor_research_export WHERE export_id = ?", MAPPER, exportId));
    }

    /**
     * Claims the oldest queued export, or a running one whose heartbeat stopped before {@code staleBefore}; the
     * claim is a conditional update, so of two runners only one wins. The transaction time is set once, at the
     * first claim: a taken-over export keeps it.
     */
    public Optional<ExportRecord> claimNext(String owner, Instant now, Instant staleBefore) {
        List<String> candidates = jdbc.queryForList(
                "SELECT export_id FROM anchor_research_export WHERE status = ?"
                        + " OR (status = ? AND heartbeat < ?) ORDER BY created_at",
                String.class,
                ExportStatus.QUEUED.name(),
                ExportStatus.RUNNING.name(),
                Timestamp.from(staleBefore));
        for (String exportId : candidates) {
            int claimed = jdbc.update(
                    "UPDATE anchor_research_export SET status = ?, owner = ?, heartbeat = ?,"
                            + " transaction_time = COALESCE(transaction_time, ?), progress = ?"
                            + " WHERE export_id = ? AND (status = ? OR (status = ? AND heartbeat < ?))",
                    ExportStatus.RUNNING.name(),
                    owner,
                    Timestamp.from(now),
                    Timestamp.from(now),
                    "started",
                    exportId,
                    ExportStatus.QUEUED.name(),
                    ExportStatus.RUNNING.name(),
                    Timestamp.from(staleBefore));
            if (claimed == 1) {
                return find(exportId);
            }
        }
        return Optional.empty();
    }

    /** Records progress and renews the claim; false if the export is no longer this owner's to run (cancelled). */
    public boolean heartbeat(String exportId, String owner, String progress, Instant now) {
        return jdbc.update(
                        "UPDATE anchor_research_export SET heartbeat = ?, progress = ? WHERE export_id = ?"
                                + " AND owner = ? AND status = ?",
                        Timestamp.from(now),
                        truncate(progress, 200),
                        exportId,
                        owner,
                        ExportStatus.RUNNING.name())
                == 1;
    }

    public void complete(
            String exportId, String owner, String manifestCid, String proofCid, String provenance, Instant now) {
        jdbc.update(
                "UPDATE anchor_research_export SET status = ?, progress = ?, completed_at = ?, manifest_cid = ?,"
                        + " proof_cid = ?, provenance = ? WHERE export_id = ? AND owner = ? AND status = ?",
                ExportStatus.COMPLETE.name(),
                "complete",
                Timestamp.from(now),
                manifestCid,
                proofCid,
                provenance,
                exportId,
                owner,
                ExportStatus.RUNNING.name());
    }

    /** @param reason what failed, in words that name no patient data */
    public void fail(String exportId, String owner, String reason, Instant now) {
        jdbc.update(
                "UPDATE anchor_research_export SET status = ?, progress = ?, completed_at = ?, error = ?"
                        + " WHERE export_id = ? AND owner = ? AND status = ?",
                ExportStatus.FAILED.name(),
                "failed",
                Timestamp.from(now),
                truncate(reason, 1000),
                exportId,
                owner,
                ExportStatus.RUNNING.name());
    }

    /** Gives a running export back to the queue (its server is stopping); it starts again from the beginning. */
    public void requeue(String exportId, String owner) {
        jdbc.update(
                "UPDATE anchor_research_export SET status = ?, progress = ?, owner = NULL WHERE export_id = ?"
                        + " AND owner = ? AND status = ?",
                ExportStatus.QUEUED.name(),
                "queued again",
                exportId,
                owner,
                ExportStatus.RUNNING.name());
    }

    /** Cancels an export that has not finished; true if it was still queued or running. */
    public boolean cancel(String exportId, Instant now) {
        return jdbc.update(
                        "UPDATE anchor_research_export SET status = ?, progress = ?, completed_at = ?"
                                + " WHERE export_id = ? AND status IN (?, ?)",
                        ExportStatus.CANCELLED.name(),
                        "cancelled",
                        Timestamp.from(now),
                        exportId,
                        ExportStatus.QUEUED.name(),
                        ExportStatus.RUNNING.name())
                == 1;
    }

    /** Forgets a finished export (its files stay in IPFS, its Provenance in the log). */
    public void delete(String exportId) {
        jdbc.update("DELETE FROM anchor_research_export WHERE export_id = ?", exportId);
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static final RowMapper<ExportRecord> MAPPER = (rs, i) -> new ExportRecord(
            rs.getString("export_id"),
            new ExportRequest(
                    rs.getString("requester"),
                    rs.getString("purpose"),
                    Arrays.asList(rs.getString("types").split(",")),
                    instant(rs, "since"),
                    rs.getString("profile"),
                    rs.getString("recipient_key")),
            ExportStatus.valueOf(rs.getString("status")),
            rs.getString("progress"),
            instant(rs, "created_at"),
            instant(rs, "transaction_time"),
            instant(rs, "completed_at"),
            rs.getString("manifest_cid"),
            rs.getString("proof_cid"),
            rs.getString("provenance"),
            rs.getString("error"));
}
