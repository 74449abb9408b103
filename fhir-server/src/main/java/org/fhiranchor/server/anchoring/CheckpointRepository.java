package org.fhiranchor.server.anchoring;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.fhiranchor.anchor.chain.AnchorReceipt;
import org.fhiranchor.anchor.log.Hex;
import org.springframework.jdbc.core.JdbcTemplate;

/** The checkpoints taken of the log, pending or anchored. */
public final class CheckpointRepository {

    private static final String COLUMNS = "tree_size, root_hash, created_at, status, chain_id, contract_address, tx_hash, "
            + "block_number, gas_used, anchored_at, attempts, last_error";

    private final JdbcTemplate jdbc;

    public CheckpointRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Checkpoint> latest() {
        return jdbc.query("SELECT " + COLUMNS + " FROM anchor_checkpoint ORDER BY tree_size DESC LIMIT 1", CheckpointRepository::map)
                .stream().findFirst();
    }

    public Optional<Checkpoint> latestAnchored() {
        return jdbc.query("SELECT " + COLUMNS + " FROM anchor_checkpoint WHERE status = 'ANCHORED' ORDER BY tree_size DESC LIMIT 1",
                CheckpointRepository::map).stream().findFirst();
    }

    public Optional<Checkpoint> bySize(long treeSize) {
        return jdbc.query("SELECT " + COLUMNS + " FROM anchor_checkpoint WHERE tree_size = ?", CheckpointRepository::map, treeSize)
                .stream().findFirst();
    }

    /** The first anchored checkpoint that includes leaf {@code leafIndex}. */
    public Optional<Checkpoint> firstAnchoredCovering(long leafIndex) {
        return jdbc.query("SELECT " + COLUMNS + " FROM anchor_checkpoint WHERE status = 'ANCHORED' AND tree_size > ? "
                        + "ORDER BY tree_size LIMIT 1", CheckpointRepository::map, leafIndex)
                .stream().findFirst();
    }

    public List<Checkpoint> pending() {
        return jdbc.query("SELECT " + COLUMNS + " FROM anchor_checkpoint WHERE status = 'PENDING' ORDER BY tree_size",
                CheckpointRepository::map);
    }

    public List<Checkpoint> page(long fromSizeExclusive, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM anchor_checkpoint WHERE tree_size > ? ORDER BY tree_size LIMIT ?",
                CheckpointRepository::map, fromSizeExclusive, limit);
    }

    public long totalGasUsed() {
        Long gas = jdbc.queryForObject("SELECT COALESCE(SUM(gas_used), 0) FROM anchor_checkpoint WHERE status = 'ANCHORED'", Long.class);
        return gas == null ? 0 : gas;
    }

    void insertPending(long treeSize, byte[] root, Instant now) {
        jdbc.update("INSERT INTO anchor_checkpoint (tree_size, root_hash, created_at, status, attempts) VALUES (?, ?, ?, 'PENDING', 0)",
                treeSize, Hex.encode(root), Timestamp.from(now));
    }

    void markAnchored(long treeSize, long chainId, String contract, AnchorReceipt receipt, Instant now) {
        jdbc.update("UPDATE anchor_checkpoint SET status = 'ANCHORED', chain_id = ?, contract_address = ?, tx_hash = ?, "
                        + "block_number = ?, gas_used = ?, anchored_at = ?, attempts = attempts + 1, last_error = NULL WHERE tree_size = ?",
                chainId, contract, receipt.txHash(), receipt.blockNumber(), receipt.gasUsed(), Timestamp.from(now), treeSize);
    }

    void recordFailure(long treeSize, String error) {
        jdbc.update("UPDATE anchor_checkpoint SET attempts = attempts + 1, last_error = ? WHERE tree_size = ?",
                error.length() > 500 ? error.substring(0, 500) : error, treeSize);
    }

    private static Checkpoint map(ResultSet rs, int row) throws SQLException {
        return new Checkpoint(
                rs.getLong(1),
                Hex.decode(rs.getString(2)),
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
