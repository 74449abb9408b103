package org.fhiranchor.server.anchoring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.fhiranchor.anchor.chain.AnchorReceipt;
import org.fhiranchor.anchor.chain.Ledger;
import org.fhiranchor.server.log.JobLock;
import org.fhiranchor.server.log.LogRepository;
import org.fhiranchor.server.log.TreeHead;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes a checkpoint every N new leaves or T seconds and anchors it with one transaction. A
 * checkpoint is first recorded as PENDING in the database, then sent; a pending checkpoint is
 * re-sent (the contract refuses a size that does not grow, and the ledger reports a checkpoint
 * already on chain as done) until it is anchored, before any newer one is taken: none is skipped,
 * none is anchored twice, also across crashes and replicas (all under one database lock).
 */
public final class CheckpointJob {

    private static final Logger log = LoggerFactory.getLogger(CheckpointJob.class);

    private final ChainConnection chain;
    private final CheckpointRepository checkpoints;
    private final LogRepository logRepository;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final AnchoringProperties properties;
    private final AnchoringMetrics metrics;
    private final Clock clock;
    private final CheckpointRequests requests;

    public CheckpointJob(ChainConnection chain, CheckpointRepository checkpoints, LogRepository logRepository,
            JdbcTemplate jdbc, TransactionTemplate transactions, AnchoringProperties properties, AnchoringMetrics metrics,
            Clock clock, CheckpointRequests requests) {
        this.chain = chain;
        this.checkpoints = checkpoints;
        this.logRepository = logRepository;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.properties = properties;
        this.metrics = metrics;
        this.clock = clock;
        this.requests = requests;
    }

    public void run() {
        // First commit the checkpoint as PENDING, then send it: a crash after the chain took it
        // but before we noted that leaves a PENDING row, which the next run finds already on chain.
        transactions.executeWithoutResult(status -> {
            JobLock.acquire(jdbc, JobLock.CHECKPOINT);
            if (checkpoints.pending().isEmpty()) {
                takeCheckpointIfDue();
            }
        });
        transactions.executeWithoutResult(status -> {
            JobLock.acquire(jdbc, JobLock.CHECKPOINT);
            for (Checkpoint checkpoint : checkpoints.pending()) {
                if (!anchor(checkpoint)) {
                    return;
                }
            }
        });
    }

    private void takeCheckpointIfDue() {
        TreeHead head = logRepository.head();
        long lastSize = checkpoints.latest().map(Checkpoint::treeSize).orElse(0L);
        long waiting = head.treeSize() - lastSize;
        if (waiting <= 0) {
            return;
        }
        Instant oldestWaiting = logRepository.sequencedAtOfLeaf(lastSize).orElse(head.updatedAt());
        boolean due = waiting >= properties.checkpointEveryEntries() || requests.requested(lastSize, head.treeSize())
                || !Duration.between(oldestWaiting, clock.instant()).minus(properties.checkpointInterval()).isNegative();
        if (due) {
            checkpoints.insertPending(head.treeSize(), head.rootHash(), clock.instant());
        }
    }

    /** Sends one checkpoint; false if the chain could not take it now (it stays pending). */
    private boolean anchor(Checkpoint checkpoint) {
        try {
            Ledger ledger = chain.ledger();
            AnchorReceipt receipt = ledger.submitCheckpoint(checkpoint.treeSize(), checkpoint.rootHash(), null);
            Instant anchoredAt = clock.instant();
            long previousSize = checkpoints.latestAnchored().map(Checkpoint::treeSize).orElse(0L);
            checkpoints.markAnchored(checkpoint.treeSize(), ledger.chainId(), ledger.contractAddress(), receipt, anchoredAt);
            metrics.checkpointAnchored(receipt, checkpoint,
                    logRepository.recordedAtOfLeaves(previousSize, checkpoint.treeSize()), anchoredAt);
            log.info("Anchored checkpoint at tree size {} in block {} ({} gas{})", checkpoint.treeSize(),
                    receipt.blockNumber(), receipt.gasUsed(), receipt.alreadyAnchored() ? ", found already on chain" : "");
            return true;
        } catch (RuntimeException e) {
            chain.recordFailure(e);
            checkpoints.recordFailure(checkpoint.treeSize(), e.getClass().getSimpleName() + ": " + e.getMessage());
            log.warn("Checkpoint at tree size {} not anchored yet: {}", checkpoint.treeSize(), e.toString());
            return false;
        }
    }
}
