package org.fhiranchor.server.log;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.anchor.log.ResourceRef;
import org.springframework.dao.support.DataAccessUtils;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Versions written as members of batches instead of as leaves of the log (docs/verification.md 4.2): the
 * writer runs its writes through {@link #writeAsMembers}, a sealer later takes the unsealed members in order,
 * writes the batch record (an ordinary, logged version) and marks them sealed, all in one transaction.
 */
public final class BatchMembers {

    private static final HexFormat HEX = HexFormat.of();
    private static final String COLUMNS = "member_id, resource_type, resource_id, version_id, operation, content_hash, "
            + "salt, recorded_at, batch_type, batch_id, batch_version, batch_index";

    private final JdbcTemplate jdbc;
    private final LogEntryRecorder recorder;

    BatchMembers(JdbcTemplate jdbc, LogEntryRecorder recorder) {
        this.jdbc = jdbc;
        this.recorder = recorder;
    }

    /**
     * Runs {@code writes} inside the caller's (HAPI's) transaction; every version they write becomes an
     * unsealed batch member instead of a log entry, committed or rolled back with the versions.
     */
    public void writeAsMembers(Runnable writes) {
        append(recorder.collecting(writes).stream()
                .map(e -> new NewMember(
                        new LeafEntry(
                                e.operation(),
                                new ResourceRef(e.resourceType(), e.resourceId(), Long.toString(e.versionId())),
                                e.contentHash(),
                                e.salt()),
                        e.recordedAt()))
                .toList());
    }

    /** A version to become an unsealed member, and when it was written. */
    public record NewMember(LeafEntry leaf, Instant recordedAt) {}

    /**
     * Inserts unsealed members, in this order, in the caller's transaction: for versions written outside HAPI (the
     * audit store's AuditEvents), committed or rolled back with them.
     */
    public void append(List<NewMember> members) {
        jdbc.batchUpdate(
                "INSERT INTO anchor_batch_member (resource_type, resource_id, version_id, operation, "
                        + "content_hash, salt, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                members,
                500,
                (ps, m) -> {
                    ResourceRef ref = m.leaf().ref();
                    ps.setString(1, ref.type());
                    ps.setString(2, ref.id());
                    ps.setLong(3, Long.parseLong(ref.versionId()));
                    ps.setShort(4, (short) m.leaf().operation().code());
                    ps.setString(5, HEX.formatHex(m.leaf().contentHash()));
                    ps.setString(6, HEX.formatHex(m.leaf().salt()));
                    ps.setTimestamp(7, Timestamp.from(m.recordedAt()));
                });
    }

    /** When the oldest unsealed member was written; empty if none waits. */
    public Optional<Instant> oldestUnsealed() {
        return DataAccessUtils.optionalResult(jdbc.query(
                "SELECT recorded_at FROM anchor_batch_member WHERE batch_id IS NULL ORDER BY member_id LIMIT 1",
                (rs, i) -> rs.getTimestamp(1).toInstant()));
    }

    /**
     * Whether at least {@code count} members are unsealed: a look through the index, without reading the members
     * (a sealer asks every run, and seals only now and then).
     */
    public boolean unsealedAtLeast(int count) {
        return !jdbc.queryForList(
                        "SELECT member_id FROM anchor_batch_member WHERE batch_id IS NULL ORDER BY member_id "
                                + "LIMIT 1 OFFSET ?",
                        Long.class,
                        count - 1)
                .isEmpty();
    }

    /** The oldest unsealed members, in the order they were written, at most {@code limit}. */
    public List<BatchMember> unsealed(int limit) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM anchor_batch_member WHERE batch_id IS NULL ORDER BY member_id "
                        + "LIMIT ?",
                BatchMembers::member,
                limit);
    }

    /** Marks {@code members}, in this order, as the batch whose record is {@code record}. */
    public void seal(List<BatchMember> members, ResourceRef record) {
        List<Integer> indexes =
                java.util.stream.IntStream.range(0, members.size()).boxed().toList();
        int[][] updated = jdbc.batchUpdate(
                "UPDATE anchor_batch_member SET batch_type = ?, batch_id = ?, batch_version = ?, batch_index = ? "
                        + "WHERE member_id = ? AND batch_id IS NULL",
                indexes,
                500,
                (ps, i) -> {
                    ps.setString(1, record.type());
                    ps.setString(2, record.id());
                    ps.setLong(3, Long.parseLong(record.versionId()));
                    ps.setInt(4, i);
                    ps.setLong(5, members.get(i).memberId());
                });
        for (int[] chunk : updated) {
            for (int count : chunk) {
                if (count == 0) {
                    throw new IllegalStateException("a batch member was sealed concurrently");
                }
            }
        }
    }

    /** Members in the order they were written, after {@code afterMemberId}, at most {@code limit}. */
    public List<BatchMember> membersAfter(long afterMemberId, int limit) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM anchor_batch_member WHERE member_id > ? ORDER BY member_id LIMIT ?",
                BatchMembers::member,
                afterMemberId,
                limit);
    }

    public long memberCount() {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM anchor_batch_member", Long.class);
        return count == null ? 0 : count;
    }

    public Optional<BatchMember> findByVersion(String type, String id, long version) {
        return DataAccessUtils.optionalResult(jdbc.query(
                "SELECT " + COLUMNS + " FROM anchor_batch_member WHERE resource_type = ? AND resource_id = ? "
                        + "AND version_id = ?",
                BatchMembers::member,
                type,
                id,
                version));
    }

    /** The members of one batch, in batch order. */
    public List<BatchMember> membersOf(ResourceRef record) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM anchor_batch_member WHERE batch_id = ? AND batch_type = ? "
                        + "AND batch_version = ? ORDER BY batch_index",
                BatchMembers::member,
                record.id(),
                record.type(),
                Long.parseLong(record.versionId()));
    }

    private static BatchMember member(ResultSet rs, int row) throws SQLException {
        String batchType = rs.getString(9);
        int batchIndex = rs.getInt(12);
        boolean sealed = batchType != null;
        return new BatchMember(
                rs.getLong(1),
                new LeafEntry(
                        Operation.fromCode(rs.getInt(5)),
                        new ResourceRef(rs.getString(2), rs.getString(3), Long.toString(rs.getLong(4))),
                        HEX.parseHex(rs.getString(6)),
                        HEX.parseHex(rs.getString(7))),
                rs.getTimestamp(8).toInstant(),
                sealed ? new ResourceRef(batchType, rs.getString(10), Long.toString(rs.getLong(11))) : null,
                sealed ? batchIndex : null);
    }
}
