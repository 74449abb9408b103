package org.fhiranchor.server.log;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fhiranchor.anchor.log.NodeCoordinate;
import org.fhiranchor.anchor.log.SubtreeHashes;
import org.fhiranchor.anchor.log.SubtreeNode;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The hashes of complete subtrees, one row each, keyed by (level, index).
 *
 * <p>A complete subtree's hash never changes once its row is committed (the sequencer only appends), so the
 * hashes read are kept in a bounded LRU cache. Only rows read back from the database enter the cache, never
 * the rows a sequencer transaction is about to insert (that transaction could still roll back). A batch
 * read ({@link #getAll}) asks the database for all missing nodes in one query.
 */
public final class JdbcSubtreeHashes implements SubtreeHashes {

    /** About 100 bytes per entry: the default holds ~6.5 MB, every node above level 1 of a 100,000-leaf log. */
    public static final int DEFAULT_CACHE_SIZE = 65_536;

    private static final String SELECT_ONE =
            "SELECT tree_level, node_index, hash FROM anchor_subtree " + "WHERE tree_level = ? AND node_index = ?";
    /** Batches are padded to these sizes so the database sees few distinct statements (its parse cache). */
    private static final int[] BATCH_SIZES = {1, 2, 4, 8, 16, 32, 64};

    private final JdbcTemplate jdbc;
    private final Map<Long, byte[]> cache;

    public JdbcSubtreeHashes(JdbcTemplate jdbc) {
        this(jdbc, DEFAULT_CACHE_SIZE);
    }

    public JdbcSubtreeHashes(JdbcTemplate jdbc, int cacheSize) {
        this.jdbc = jdbc;
        this.cache = new LinkedHashMap<>(Math.min(cacheSize, 1 << 16) * 4 / 3 + 1, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
                return size() > cacheSize;
            }
        };
    }

    @Override
    public byte[] get(int level, long index) {
        return getAll(List.of(new NodeCoordinate(level, index))).get(0);
    }

    /** All the nodes asked for, in order; the ones not cached are read in one query. */
    @Override
    public List<byte[]> getAll(List<NodeCoordinate> nodes) {
        byte[][] found = new byte[nodes.size()][];
        List<NodeCoordinate> missing = new ArrayList<>();
        synchronized (cache) {
            for (int i = 0; i < nodes.size(); i++) {
                found[i] = cache.get(key(nodes.get(i)));
                if (found[i] == null) {
                    missing.add(nodes.get(i));
                }
            }
        }
        if (!missing.isEmpty()) {
            Map<Long, byte[]> read = read(missing);
            synchronized (cache) {
                cache.putAll(read);
            }
            for (int i = 0; i < nodes.size(); i++) {
                if (found[i] == null) {
                    found[i] = read.get(key(nodes.get(i)));
                    if (found[i] == null) {
                        throw new IllegalStateException(
                                "missing subtree hash at level " + nodes.get(i).level() + ", index "
                                        + nodes.get(i).index());
                    }
                }
            }
        }
        List<byte[]> hashes = new ArrayList<>(found.length);
        for (byte[] hash : found) {
            hashes.add(hash.clone());
        }
        return hashes;
    }

    /**
     * One query: a UNION ALL of primary-key lookups, which H2 and PostgreSQL both answer from the index
     * (an OR-list over two columns can make H2 scan the table).
     */
    private Map<Long, byte[]> read(List<NodeCoordinate> nodes) {
        Map<Long, byte[]> read = new HashMap<>();
        int from = 0;
        while (from < nodes.size()) {
            int chunk = Math.min(nodes.size() - from, BATCH_SIZES[BATCH_SIZES.length - 1]);
            int padded = BATCH_SIZES[BATCH_SIZES.length - 1];
            for (int size : BATCH_SIZES) {
                if (size >= chunk) {
                    padded = size;
                    break;
                }
            }
            StringBuilder sql = new StringBuilder();
            Object[] args = new Object[2 * padded];
            for (int i = 0; i < padded; i++) {
                // Padding repeats the last node: duplicates only return the same row again.
                NodeCoordinate node = nodes.get(from + Math.min(i, chunk - 1));
                if (i > 0) {
                    sql.append(" UNION ALL ");
                }
                sql.append(SELECT_ONE);
                args[2 * i] = node.level();
                args[2 * i + 1] = node.index();
            }
            jdbc.query(
                    sql.toString(),
                    rs -> {
                        read.put(
                                key(rs.getInt(1), rs.getLong(2)), HexFormat.of().parseHex(rs.getString(3)));
                    },
                    args);
            from += chunk;
        }
        return read;
    }

    private static long key(NodeCoordinate node) {
        return key(node.level(), node.index());
    }

    /** Level in the top 6 bits, index below: every index of a log under 2^58 leaves. */
    private static long key(int level, long index) {
        if (index >= 1L << 58) {
            throw new IllegalArgumentException("node index out of range: " + index);
        }
        return ((long) level << 58) | index;
    }

    void insert(List<SubtreeNode> nodes) {
        jdbc.batchUpdate(
                "INSERT INTO anchor_subtree (tree_level, node_index, hash) VALUES (?, ?, ?)",
                nodes,
                1000,
                (ps, node) -> {
                    ps.setInt(1, node.level());
                    ps.setLong(2, node.index());
                    ps.setString(3, HexFormat.of().formatHex(node.hash()));
                });
    }
}
