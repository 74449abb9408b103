package org.fhiranchor.server.anchoring;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import org.fhiranchor.anchor.chain.AnchorReceipt;
import org.fhiranchor.anchor.chain.Ledger;
import org.fhiranchor.server.log.LogEntry;
import org.fhiranchor.server.log.LogRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The per-version mode: each leaf hash in its own transaction, in leaf order. The contract refuses
 * a leaf index that does not grow, so a re-send after a crash cannot anchor a leaf twice.
 */
public final class PerVersionAnchorJob {

    private static final Logger log = LoggerFactory.getLogger(PerVersionAnchorJob.class);
    private static final int BATCH = 50;

    private final ChainConnection chain;
    private final LogRepository logRepository;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final AnchoringMetrics metrics;
    private final Clock clock;

    public PerVersionAnchorJob(
            ChainConnection chain,
            LogRepository logRepository,
            JdbcTemplate jdbc,
            TransactionTemplate transactions,
            AnchoringMetrics metrics,
            Clock clock) {
        this.chain = chain;
        this.logRepository = logRepository;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Sends outside any database transaction; each leaf is noted in its own statement once on chain.
     * A crash in between, or a second replica sending the same leaf, is harmless: the ledger finds
     * the leaf on chain and sends nothing, and the note is written once.
     */
    public void run() {
        Long last = jdbc.queryForObject("SELECT MAX(leaf_index) FROM anchor_leaf_anchor", Long.class);
        List<LogEntry> next = logRepository.sequencedFrom(last == null ? 0 : last + 1, BATCH);
        for (LogEntry entry : next) {
            try {
                Ledger ledger = chain.ledger();
                AnchorReceipt receipt = ledger.anchorLeaf(entry.leafIndex(), entry.leafHash());
                try {
                    jdbc.update(
                            "INSERT INTO anchor_leaf_anchor (leaf_index, tx_hash, block_number, gas_used, anchored_at) "
                                    + "VALUES (?, ?, ?, ?, ?)",
                            entry.leafIndex(),
                            receipt.txHash(),
                            receipt.blockNumber(),
                            receipt.gasUsed(),
                            Timestamp.from(clock.instant()));
                } catch (org.springframework.dao.DuplicateKeyException noted) {
                    continue; // another replica noted it
                }
                metrics.leafAnchored(receipt);
            } catch (RuntimeException e) {
                chain.recordFailure(e);
                log.warn("Leaf {} not anchored yet: {}", entry.leafIndex(), e.toString());
                return;
            }
        }
    }
}
