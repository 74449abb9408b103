package org.fhiranchor.server.anchoring;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.fhiranchor.anchor.chain.AnchorReceipt;
import org.springframework.dao.support.DataAccessUtils;
import org.springframework.jdbc.core.JdbcTemplate;

/** The checkpoints taken of the log, pending or anchored. */
public final class CheckpointRepository {

    private static final String COLUMNS =
            "tree_size, root_hash, created_at, status, chain_id, contract_address, tx_hash, "
                    + "block_number, gas_used, anchored_at, attempts, last_error";

    private final JdbcTemplate jdbc;

    public CheckpointRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Checkpoint> latest() {
        return DataAccessUtils.optionalResult(jdbc.query(
                "SELECT " + COLUMNS + " FROM anchor_checkpoint ORDER BY tree_size DESC LIMIT 1",
                CheckpointRepository::map));
    }

    public Optional<Checkpoint> latestAnchored() {
        return DataAccessUtils.optionalResult(jdbc.query(
                "SELECT " + COLUMNS
                        + " FROM anchor_checkpoint WHERE status = 'ANCHORED' ORDER BY tree_size DESC LIMIT 1",
                CheckpointRepository::map));
    }

    public Optional<Checkpoint> latestAnchoredBelow(long treeSize) {
        return DataAccessUtils.optionalResult(jdbc.query(
                "SELECT " + COLUMNS + " FROM anchor_checkpoint WHERE status = 'ANCHORED' AND tree_size < ? "
                        + "ORDER BY tree_size DESC LIMIT 1",
                CheckpointRepository::map,
                treeSize));
    }

    public Optional<Checkpoint> bySize(long treeSize) {
        return DataAccessUtils.optionalResult(jdbc.query(
                "SELECT " + COLUMNS + " FROM anchor_checkpoint WHERE tree_size = ?",
                CheckpointRepository::map,
                treeSize));
    }

    /** The first anchored checkpoint that includes leaf {@code leafIndex}. */
    public Optional<Checkpoint> firstAnchoredCovering(long leafIndex) {
        return DataAccessUtils.optionalResult(jdbc.query(
                "SELECT " + COLUMNS + " FROM anchor_checkpoint WHERE status = 'ANCHORED' AND tree_size > ? "
                        + "ORDER BY tree_size LIMIT 1",
                CheckpointRepository::map,
                leafIndex));
    }

    public List<Checkpoint> pending() {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM anchor_checkpoint WHERE status = 'PENDING' ORDER BY tree_size",
                CheckpointRepository::map);
    }

    public List<Checkpoint> page(long fromSizeExclusive, int limit) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM anchor_checkpoint WHERE tree_size > ? ORDER BY tree_size LIMIT ?",
                CheckpointRepository::map,
                fromSizeExclusive,
                limit);
    }

    /** Mined or anchored checkpoints recorded in blocks after {@code afterBlock}, oldest first. */
    public List<Checkpoint> onChainSince(long afterBlock) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM anchor_checkpoint WHERE status IN ('MINED', 'ANCHORED') "
                        + "AND block_number > ? ORDER BY tree_size",
                CheckpointRepository::map,
                afterBlock);
    }

    public long totalGasUsed() {
        Long gas = jdbc.queryForObject(
                "SELECT COALESCE(SUM(gas_used), 0) FROM anchor_checkpoint WHERE status = 'ANCHORED'", Long.class);
        return gas == null ? 0 : gas;
    }

    void insertPending(long treeSize, byte[] root, Instant now) {
        jdbc.update(
                "INSERT INTO anchor_checkpoint (tree_size, root_hash, created_at, status, attempts) VALUES (?, ?, ?, 'PENDING', 0)",
                treeSize,
                HexFormat.of().formatHex(root),
                Timestamp.from(now));
    }

    /**
     * Claims a pending checkpoint for sending until {@code until}: false if another replica holds
     * the claim (or it is no longer pending). The claim is committed before anything is sent.
     */
    boolean claim(long treeSize, Instant now, Instant until) {
        return jdbc.update(
                        "UPDATE anchor_checkpoint SET claimed_until = ? WHERE tree_size = ? AND status = 'PENDING' "
                                + "AND (claimed_until IS NULL OR claimed_until < ?)",
                        Timestamp.from(until),
                        treeSize,
                        Timestamp.from(now))
                == 1;
    }

    /** Records where the checkpoint landed; {@code confirmed} decides between ANCHORED and MINED. */
    void markMined(
            long treeSize, long chainId, String contract, AnchorReceipt receipt, boolean confirmed, Instant now) {
        jdbc.update(
                "UPDATE anchor_checkpoint SET status = ?, chain_id = ?, contract_address = ?, tx_hash = ?, "
                        + "block_number = ?, gas_used = ?, anchored_at = ?, attempts = attempts + 1, last_error = NULL, "
                        + "claimed_until = NULL WHERE tree_size = ? AND status = 'PENDING'",
                confirmed ? "ANCHORED" : "MINED",
                chainId,
                contract,
                receipt.txHash(),
                receipt.blockNumber(),
                receipt.gasUsed(),
                Timestamp.from(now),
                treeSize);
    }

    /** A mined checkpoint reached its confirmations (in {@code blockNumber}, which a reorganisation may have moved). */
    void markConfirmed(long treeSize, long blockNumber, Instant now) {
        jdbc.update(
                "UPDATE anchor_checkpoint SET status = 'ANCHORED', block_number = ?, anchored_at = ? "
                        + "WHERE tree_size = ? AND status = 'MINED'",
                blockNumber,
                Timestamp.from(now),
                treeSize);
    }

    /** The checkpoint's block moved (re-included after a reorganisation); still on chain. */
    void moveBlock(long treeSize, long blockNumber) {
        jdbc.update("UPDATE anchor_checkpoint SET block_number = ? WHERE tree_size = ?", blockNumber, treeSize);
    }

    /** A pending checkpoint the contract can no longer take: a larger one is on chain and covers it. */
    void markSuperseded(long treeSize, String reason) {
        jdbc.update(
                "UPDATE anchor_checkpoint SET status = 'SUPERSEDED', claimed_until = NULL, last_error = ? "
                        + "WHERE tree_size = ? AND status = 'PENDING'",
                truncate(reason),
                treeSize);
    }

    /** The checkpoint is no longer on chain: back to PENDING, to be sent again. */
    boolean requeue(long treeSize, String reason) {
        return jdbc.update(
                        "UPDATE anchor_checkpoint SET status = 'PENDING', tx_hash = NULL, block_number = NULL, "
                                + "gas_used = NULL, anchored_at = NULL, claimed_until = NULL, last_error = ? "
                                + "WHERE tree_size = ? AND status IN ('MINED', 'ANCHORED')",
                        truncate(reason),
                        treeSize)
                == 1;
    }

    void recordFailure(long treeSize, String error) {
        jdbc.update(
                "UPDATE anchor_checkpoint SET attempts = attempts + 1, last_error = ?, claimed_until = NULL WHERE tree_size = ?",
                truncate(error),
                treeSize);
    }

    private static String truncate(String text) {
        return text.length() > 500 ? text.substring(0, 500) : text;
    }

    private static Checkpoint map(ResultSet rs, int row) throws SQLException {
        return new Checkpoint(
                rs.getLong(1),
                HexFormat.of().parseHex(rs.getString(2)),
                rs.getTimestamp(3).toInstant(),
                Checkpoint.Status.valueOf(rs.getString(4)),
                (Long) rs.getObject(5, Long.class),
                rs.getString(6),
                rs.getString(7),
                (Long) rs.getObject(8, Long.class),
                (Long) rs.getObject(9, Long.class),
                rs.getTimestamp(10) == null ? null : rs.getTimestamp(10).toInstant(),
                rs.getInt(11),
                rs.getString(12));
    }
}
