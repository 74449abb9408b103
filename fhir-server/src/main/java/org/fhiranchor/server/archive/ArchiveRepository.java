package org.fhiranchor.server.archive;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.support.DataAccessUtils;
import org.springframework.jdbc.core.JdbcTemplate;

/** The rows of {@code anchor_archive}. */
public final class ArchiveRepository {

    private static final String COLUMNS =
            "from_size, to_size, cid, size_bytes, key_id, archived_at, status, tx_hash, block_number, recorded_at";
    /** Read on every health check and metrics scrape: through ix_anchor_archive_status, as long as the backlog. */
    static final String STORED_COUNT = "SELECT COUNT(*) FROM anchor_archive WHERE status = 'STORED'";
    /** Through the unique index on {@code to_size}. */
    static final String ARCHIVED_SIZE = "SELECT COALESCE(MAX(to_size), 0) FROM anchor_archive";

    private final JdbcTemplate jdbc;

    public ArchiveRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The end of the archived prefix of the log: every leaf below it is in some archive. */
    public long archivedSize() {
        Long size = jdbc.queryForObject(ARCHIVED_SIZE, Long.class);
        return size == null ? 0 : size;
    }

    public List<ArchiveRecord> all() {
        return jdbc.query("SELECT " + COLUMNS + " FROM anchor_archive ORDER BY from_size", ArchiveRepository::map);
    }

    /** How many archives are stored but not recorded on chain yet; read through ix_anchor_archive_status. */
    public long storedCount() {
        Long count = jdbc.queryForObject(STORED_COUNT, Long.class);
        return count == null ? 0 : count;
    }

    public List<ArchiveRecord> stored() {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM anchor_archive WHERE status = 'STORED' ORDER BY from_size",
                ArchiveRepository::map);
    }

    public Optional<ArchiveRecord> byFrom(long fromSize) {
        return DataAccessUtils.optionalResult(jdbc.query(
                "SELECT " + COLUMNS + " FROM anchor_archive WHERE from_size = ?", ArchiveRepository::map, fromSize));
    }

    void insertStored(long from, long to, String cid, long sizeBytes, String keyId, Instant archivedAt) {
        jdbc.update(
                "INSERT INTO anchor_archive (from_size, to_size, cid, size_bytes, key_id, archived_at, status) "
                        + "VALUES (?, ?, ?, ?, ?, ?, 'STORED')",
                from,
                to,
                cid,
                sizeBytes,
                keyId,
                Timestamp.from(archivedAt));
    }

    void markRecorded(long from, String txHash, long blockNumber, Instant recordedAt) {
        jdbc.update(
                "UPDATE anchor_archive SET status = 'RECORDED', tx_hash = ?, block_number = ?, recorded_at = ? "
                        + "WHERE from_size = ?",
                txHash,
                blockNumber,
                Timestamp.from(recordedAt),
                from);
    }

    private static ArchiveRecord map(ResultSet rs, int row) throws SQLException {
        Timestamp recorded = rs.getTimestamp(10);
        return new ArchiveRecord(
                rs.getLong(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getString(5),
                rs.getTimestamp(6).toInstant(),
                ArchiveRecord.Status.valueOf(rs.getString(7)),
                rs.getString(8),
                rs.getObject(9, Long.class),
                recorded == null ? null : recorded.toInstant());
    }
}
