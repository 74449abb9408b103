package org.fhiranchor.server.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.fhiranchor.anchor.log.CompactRange;
import org.fhiranchor.anchor.log.InMemorySubtreeHashes;
import org.fhiranchor.anchor.log.MerkleHash;
import org.fhiranchor.anchor.log.MerkleTree;
import org.fhiranchor.anchor.log.NodeCoordinate;
import org.fhiranchor.anchor.log.SubtreeNode;
import org.fhiranchor.server.schema.AnchorSchema;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The database node store: batched reads and the cache give exactly the nodes (and proofs) stored. */
class JdbcSubtreeHashesTest {

    private static final int SIZE = 3_000;

    private JdbcTemplate jdbc;
    private final InMemorySubtreeHashes reference = new InMemorySubtreeHashes();

    @BeforeEach
    void storeATree() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:subtrees-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        AnchorSchema.migrate(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        CompactRange range = CompactRange.empty();
        List<SubtreeNode> nodes = new ArrayList<>();
        for (long i = 0; i < SIZE; i++) {
            byte[] leaf = MerkleHash.leaf(ByteBuffer.allocate(8).putLong(i).array());
            nodes.addAll(range.append(leaf));
            reference.append(leaf);
        }
        new JdbcSubtreeHashes(jdbc).insert(nodes);
    }

    @Test
    void proofsFromTheDatabaseEqualTheInMemoryOnes() {
        // A tiny cache, so that reads mix cached and uncached nodes.
        for (JdbcSubtreeHashes store : List.of(new JdbcSubtreeHashes(jdbc), new JdbcSubtreeHashes(jdbc, 5))) {
            Random random = new Random(3);
            for (int round = 0; round < 300; round++) {
                long size = 1 + random.nextInt(SIZE);
                long index = random.nextInt((int) size);
                assertEquals(
                        hex(MerkleTree.inclusionPath(index, size, reference)),
                        hex(MerkleTree.inclusionPath(index, size, store)));
                assertEquals(
                        HexFormat.of().formatHex(MerkleTree.root(size, reference)),
                        HexFormat.of().formatHex(MerkleTree.root(size, store)));
                long oldSize = 1 + random.nextInt((int) size);
                assertEquals(
                        hex(MerkleTree.consistencyPath(oldSize, size, reference)),
                        hex(MerkleTree.consistencyPath(oldSize, size, store)));
            }
        }
    }

    @Test
    void getAllKeepsOrderAndDuplicatesAndSplitsLongBatches() {
        JdbcSubtreeHashes store = new JdbcSubtreeHashes(jdbc);
        List<NodeCoordinate> asked = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            asked.add(new NodeCoordinate(i % 3, (i * 7L) % 700));
        }
        asked.add(asked.get(0));
        List<String> expected = asked.stream()
                .map(c -> HexFormat.of().formatHex(reference.get(c.level(), c.index())))
                .toList();
        assertEquals(expected, hex(store.getAll(asked)));
        assertEquals(expected, hex(store.getAll(asked))); // from the cache now
    }

    @Test
    void aMissingNodeIsAnErrorNotAGap() {
        JdbcSubtreeHashes store = new JdbcSubtreeHashes(jdbc);
        assertThrows(IllegalStateException.class, () -> store.get(0, SIZE));
        assertThrows(
                IllegalStateException.class,
                () -> store.getAll(List.of(new NodeCoordinate(0, 1), new NodeCoordinate(12, 0))));
    }

    private static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(HexFormat.of()::formatHex).toList();
    }
}
