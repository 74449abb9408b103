package org.fhiranchor.server.log;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.fhiranchor.anchor.log.CompactRange;
import org.fhiranchor.anchor.log.SubtreeNode;
import org.fhiranchor.server.jobs.JobLock;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gives committed log entries consecutive leaf indexes, in the order the sequencer finds them
 * committed (entry id order within one pass), and stores the new complete-subtree hashes and the
 * tree head, all in one transaction under the database-wide sequencer lock.
 */
public final class Sequencer {

    private final JdbcTemplate jdbc;
    private final JobLock lock;
    private final LogRepository log;
    private final JdbcSubtreeHashes subtrees;
    private final Clock clock;
    private final int batchSize;

    public Sequencer(
            JdbcTemplate jdbc,
            TransactionTemplate transactions,
            LogRepository log,
            JdbcSubtreeHashes subtrees,
            Clock clock,
            int batchSize) {
        this.jdbc = jdbc;
        this.lock = new JobLock(JobLock.SEQUENCER, jdbc, transactions);
        this.log = log;
        this.subtrees = subtrees;
        this.clock = clock;
        this.batchSize = batchSize;
    }

    /** Sequences everything committed so far; returns how many entries got a leaf. */
    public long sequenceAll() {
        return lock.drain(this::sequenceBatch, batchSize);
    }

    int sequenceBatch() {
        Integer sequenced = lock.call(() -> {
            List<LogEntry> pending = log.unsequenced(batchSize);
            if (pending.isEmpty()) {
                return 0;
            }
            TreeHead head = log.head();
            CompactRange range = CompactRange.restore(head.treeSize(), subtrees);
            List<SubtreeNode> nodes = new ArrayList<>();
            List<Object[]> leaves = new ArrayList<>(pending.size());
            Timestamp now = Timestamp.from(clock.instant());
            for (LogEntry entry : pending) {
                long leafIndex = range.size();
                byte[] leafHash = entry.leaf().leafHash();
                nodes.addAll(range.append(leafHash));
                leaves.add(new Object[] {leafIndex, HexFormat.of().formatHex(leafHash), now, entry.entryId()});
            }
            jdbc.batchUpdate(
                    "UPDATE anchor_log_entry SET leaf_index = ?, leaf_hash = ?, sequenced_at = ? WHERE entry_id = ?",
                    leaves);
            subtrees.insert(nodes);
            writeHead(range.size(), range.root(), now);
            return pending.size();
        });
        return sequenced == null ? 0 : sequenced;
    }

    private void writeHead(long size, byte[] root, Timestamp now) {
        int updated = jdbc.update(
                "UPDATE anchor_tree_head SET tree_size = ?, root_hash = ?, updated_at = ? WHERE head_id = 1",
                size,
                HexFormat.of().formatHex(root),
                now);
        if (updated == 0) {
            jdbc.update(
                    "INSERT INTO anchor_tree_head (head_id, tree_size, root_hash, updated_at) VALUES (1, ?, ?, ?)",
                    size,
                    HexFormat.of().formatHex(root),
                    now);
        }
    }
}
