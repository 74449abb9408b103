package org.fhiranchor.server.log;

import java.util.List;
import org.fhiranchor.anchor.log.Hex;
import org.fhiranchor.anchor.log.SubtreeHashes;
import org.fhiranchor.anchor.log.SubtreeNode;
import org.springframework.jdbc.core.JdbcTemplate;

/** The hashes of complete subtrees, one row each, keyed by (level, index). */
public final class JdbcSubtreeHashes implements SubtreeHashes {

    private final JdbcTemplate jdbc;

    public JdbcSubtreeHashes(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public byte[] get(int level, long index) {
        List<String> hash = jdbc.queryForList(
                "SELECT hash FROM anchor_subtree WHERE tree_level = ? AND node_index = ?", String.class, level, index);
        if (hash.isEmpty()) {
            throw new IllegalStateException("missing subtree hash at level " + level + ", index " + index);
        }
        return Hex.decode(hash.get(0));
    }

    void insert(List<SubtreeNode> nodes) {
        jdbc.batchUpdate("INSERT INTO anchor_subtree (tree_level, node_index, hash) VALUES (?, ?, ?)", nodes, 1000,
                (ps, node) -> {
                    ps.setInt(1, node.level());
                    ps.setLong(2, node.index());
                    ps.setString(3, Hex.encode(node.hash()));
                });
    }
}
