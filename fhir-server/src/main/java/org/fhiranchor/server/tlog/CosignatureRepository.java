package org.fhiranchor.server.tlog;

import java.util.List;
import java.util.Optional;
import org.springframework.dao.support.DataAccessUtils;
import org.springframework.jdbc.core.JdbcTemplate;

/** Witness cosignature lines per checkpoint size, each verified against its witness's key before it is stored. */
public final class CosignatureRepository {

    private final JdbcTemplate jdbc;

    public CosignatureRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<String> lines(long treeSize) {
        return jdbc.queryForList(
                "SELECT signature_line FROM anchor_tlog_cosignature WHERE tree_size = ? ORDER BY witness_name",
                String.class,
                treeSize);
    }

    public List<String> witnesses(long treeSize) {
        return jdbc.queryForList(
                "SELECT witness_name FROM anchor_tlog_cosignature WHERE tree_size = ?", String.class, treeSize);
    }

    /** The largest tree size with at least {@code quorum} cosignatures. */
    public Optional<Long> largestSizeWith(int quorum) {
        return DataAccessUtils.optionalResult(jdbc.queryForList(
                "SELECT tree_size FROM anchor_tlog_cosignature GROUP BY tree_size HAVING COUNT(*) >= ? "
                        + "ORDER BY tree_size DESC LIMIT 1",
                Long.class,
                quorum));
    }

    void store(long treeSize, String witnessName, String line) {
        try {
            jdbc.update(
                    "INSERT INTO anchor_tlog_cosignature (tree_size, witness_name, signature_line) VALUES (?, ?, ?)",
                    treeSize,
                    witnessName,
                    line);
        } catch (org.springframework.dao.DuplicateKeyException raced) {
            // another replica stored this witness's cosignature of this size first
        }
    }
}
