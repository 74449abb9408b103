package org.fhiranchor.server.consent;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.fhiranchor.anchor.chain.AnchorReceipt;
import org.fhiranchor.anchor.chain.ConsentDecision;
import org.fhiranchor.anchor.chain.ConsentStatus;
import org.springframework.dao.support.DataAccessUtils;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * {@code anchor_consent_decision}: one row per Consent version, inserted in the Consent's own
 * transaction (rolled back with it), holding exactly what goes on chain (keyed hashes, flags,
 * numbers; no reference in clear) and whether it got there.
 */
public final class ConsentOutbox {

    public static final String PENDING = "PENDING";
    public static final String RECORDED = "RECORDED";
    public static final String FAILED = "FAILED";

    /** A row: the decision and its state. */
    public record Row(
            long rowId,
            String consentId,
            ConsentDecision decision,
            String status,
            String txHash,
            Long blockNumber,
            int attempts,
            String lastError) {}

    private static final String COLUMNS =
            "row_id, consent_id, consent_key, consent_version, decision_hash, patient_key, "
                    + "grantee_keys, purpose_codes, permit, consent_status, period_start, period_end, status, tx_hash, "
                    + "block_number, attempts, last_error";

    private final JdbcTemplate jdbc;

    public ConsentOutbox(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts the decision of one version; a version already queued (a retried hook) is left alone. */
    void insert(String consentId, ConsentDecision d, Instant now) {
        Integer present = jdbc.queryForObject(
                "SELECT COUNT(*) FROM anchor_consent_decision WHERE consent_id = ? AND consent_version = ?",
                Integer.class,
                consentId,
                d.consentVersion());
        if (present != null && present > 0) {
            return;
        }
        jdbc.update(
                "INSERT INTO anchor_consent_decision (consent_id, consent_key, consent_version, decision_hash, "
                        + "patient_key, grantee_keys, purpose_codes, permit, consent_status, period_start, period_end, "
                        + "status, created_at, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                consentId,
                HexFormat.of().formatHex(d.consentKey()),
                d.consentVersion(),
                HexFormat.of().formatHex(d.decisionHash()),
                HexFormat.of().formatHex(d.patientKey()),
                join(d.granteeKeys()),
                join(d.purposeCodes()),
                d.permit(),
                d.status().onChainCode(),
                d.periodStart(),
                d.periodEnd(),
                PENDING,
                Timestamp.from(now));
    }

    public List<Row> pending(int limit) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM anchor_consent_decision WHERE status = ? ORDER BY row_id " + "FETCH FIRST "
                        + limit + " ROWS ONLY",
                MAPPER,
                PENDING);
    }

    public Optional<Row> find(String consentId, long version) {
        return DataAccessUtils.optionalResult(jdbc.query(
                "SELECT " + COLUMNS + " FROM anchor_consent_decision WHERE consent_id = ? AND consent_version = ?",
                MAPPER,
                consentId,
                version));
    }

    public List<Row> all() {
        return jdbc.query("SELECT " + COLUMNS + " FROM anchor_consent_decision ORDER BY row_id", MAPPER);
    }

    void markRecorded(long rowId, AnchorReceipt receipt, Instant now) {
        jdbc.update(
                "UPDATE anchor_consent_decision SET status = ?, tx_hash = ?, block_number = ?, recorded_at = ?, "
                        + "attempts = attempts + 1, last_error = NULL WHERE row_id = ?",
                RECORDED,
                receipt.txHash(),
                receipt.blockNumber(),
                Timestamp.from(now),
                rowId);
    }

    void markFailed(long rowId, String status, String error) {
        jdbc.update(
                "UPDATE anchor_consent_decision SET status = ?, attempts = attempts + 1, last_error = ? WHERE row_id = ?",
                status,
                truncate(error),
                rowId);
    }

    private static String truncate(String error) {
        return error == null ? null : error.length() > 500 ? error.substring(0, 500) : error;
    }

    private static String join(List<byte[]> hashes) {
        return String.join(",", hashes.stream().map(HexFormat.of()::formatHex).toList());
    }

    private static List<byte[]> split(String joined) {
        return joined == null || joined.isEmpty()
                ? List.of()
                : Arrays.stream(joined.split(",")).map(HexFormat.of()::parseHex).toList();
    }

    private static final RowMapper<Row> MAPPER = (rs, i) -> new Row(
            rs.getLong("row_id"),
            rs.getString("consent_id"),
            new ConsentDecision(
                    HexFormat.of().parseHex(rs.getString("consent_key")),
                    rs.getLong("consent_version"),
                    HexFormat.of().parseHex(rs.getString("decision_hash")),
                    HexFormat.of().parseHex(rs.getString("patient_key")),
                    split(rs.getString("grantee_keys")),
                    split(rs.getString("purpose_codes")),
                    rs.getBoolean("permit"),
                    ConsentStatus.fromOnChainCode(rs.getInt("consent_status")),
                    rs.getLong("period_start"),
                    rs.getLong("period_end")),
            rs.getString("status"),
            rs.getString("tx_hash"),
            (Long) rs.getObject("block_number", Long.class),
            rs.getInt("attempts"),
            rs.getString("last_error"));
}
