package org.fhiranchor.server.log;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.anchor.log.MerkleHash;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.anchor.log.ResourceRef;
import org.springframework.dao.support.DataAccessUtils;
import org.springframework.jdbc.core.JdbcTemplate;

/** Reads of the log: entries by version or leaf index, the tree head, the backlog. */
public final class LogRepository {

    private static final String ENTRY_COLUMNS =
            "entry_id, resource_type, resource_id, version_id, operation, content_hash, salt, recorded_at, leaf_index, leaf_hash";

    private final JdbcTemplate jdbc;

    public LogRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<LogEntry> findByVersion(String type, String id, long version) {
        return DataAccessUtils.optionalResult(jdbc.query(
                "SELECT " + ENTRY_COLUMNS
                        + " FROM anchor_log_entry WHERE resource_type = ? AND resource_id = ? AND version_id = ?",
                LogRepository::entry,
                type,
                id,
                version));
    }

    /** The entries of every version of these resources of one type: many versions looked up in one query. */
    public List<LogEntry> entriesOf(String type, java.util.Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        String marks = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
        Object[] args = new Object[ids.size() + 1];
        args[0] = type;
        int i = 1;
        for (String id : ids) {
            args[i++] = id;
        }
        return jdbc.query(
                "SELECT " + ENTRY_COLUMNS + " FROM anchor_log_entry WHERE resource_type = ? AND resource_id IN ("
                        + marks + ")",
                LogRepository::entry,
                args);
    }

    public Optional<LogEntry> findByLeafIndex(long leafIndex) {
        return DataAccessUtils.optionalResult(jdbc.query(
                "SELECT " + ENTRY_COLUMNS + " FROM anchor_log_entry WHERE leaf_index = ?",
                LogRepository::entry,
                leafIndex));
    }

    /** Entries in leaf order from {@code fromLeaf}, at most {@code limit}. */
    public List<LogEntry> sequencedFrom(long fromLeaf, int limit) {
        return jdbc.query(
                "SELECT " + ENTRY_COLUMNS + " FROM anchor_log_entry WHERE leaf_index >= ? ORDER BY leaf_index LIMIT ?",
                LogRepository::entry,
                fromLeaf,
                limit);
    }

    /** When the versions at leaves [from, to) were committed (recorded in their transaction). */
    public List<Instant> recordedAtOfLeaves(long from, long to) {
        return jdbc.query(
                "SELECT recorded_at FROM anchor_log_entry WHERE leaf_index >= ? AND leaf_index < ?",
                (rs, i) -> rs.getTimestamp(1).toInstant(),
                from,
                to);
    }

    /** Entries in recording order after entry id {@code afterEntryId}, at most {@code limit}. */
    public List<LogEntry> entriesAfter(long afterEntryId, int limit) {
        return jdbc.query(
                "SELECT " + ENTRY_COLUMNS + " FROM anchor_log_entry WHERE entry_id > ? ORDER BY entry_id LIMIT ?",
                LogRepository::entry,
                afterEntryId,
                limit);
    }

    List<LogEntry> unsequenced(int limit) {
        return jdbc.query(
                "SELECT " + ENTRY_COLUMNS + " FROM anchor_log_entry WHERE leaf_index IS NULL ORDER BY entry_id LIMIT ?",
                LogRepository::entry,
                limit);
    }

    public long unsequencedCount() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM anchor_log_entry WHERE leaf_index IS NULL", Long.class);
        return n == null ? 0 : n;
    }

    public long entryCount() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM anchor_log_entry", Long.class);
        return n == null ? 0 : n;
    }

    public TreeHead head() {
        return DataAccessUtils.optionalResult(jdbc.query(
                        "SELECT tree_size, root_hash, updated_at FROM anchor_tree_head WHERE head_id = 1",
                        (rs, i) -> new TreeHead(
                                rs.getLong(1),
                                HexFormat.of().parseHex(rs.getString(2)),
                                rs.getTimestamp(3).toInstant())))
                .orElseGet(() -> new TreeHead(0, MerkleHash.emptyRoot(), Instant.EPOCH));
    }

    /** When the oldest leaf after {@code treeSize} was sequenced, if any. */
    public Optional<Instant> sequencedAtOfLeaf(long leafIndex) {
        return DataAccessUtils.optionalResult(jdbc.query(
                "SELECT sequenced_at FROM anchor_log_entry WHERE leaf_index = ?",
                (rs, i) -> rs.getTimestamp(1).toInstant(),
                leafIndex));
    }

    private static LogEntry entry(ResultSet rs, int row) throws SQLException {
        long leafIndex = rs.getLong(9);
        boolean sequenced = !rs.wasNull();
        String leafHash = rs.getString(10);
        return new LogEntry(
                rs.getLong(1),
                new LeafEntry(
                        Operation.fromCode(rs.getInt(5)),
                        new ResourceRef(rs.getString(2), rs.getString(3), Long.toString(rs.getLong(4))),
                        HexFormat.of().parseHex(rs.getString(6)),
                        HexFormat.of().parseHex(rs.getString(7))),
                rs.getTimestamp(8).toInstant(),
                sequenced ? leafIndex : null,
                leafHash == null ? null : HexFormat.of().parseHex(leafHash));
    }
}
