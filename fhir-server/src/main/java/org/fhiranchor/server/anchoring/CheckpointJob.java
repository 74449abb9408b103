package org.fhiranchor.server.anchoring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.fhiranchor.anchor.chain.AnchorReceipt;
import org.fhiranchor.anchor.chain.ContractMismatchException;
import org.fhiranchor.anchor.chain.Ledger;
import org.fhiranchor.anchor.chain.LedgerRevertedException;
import org.fhiranchor.anchor.chain.OnChainCheckpoint;
import org.fhiranchor.server.jobs.JobLock;
import org.fhiranchor.server.log.LogRepository;
import org.fhiranchor.server.log.TreeHead;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes a checkpoint every N new leaves or T seconds and anchors it with one transaction.
 *
 * <p>No chain I/O happens inside a database transaction: a checkpoint is taken as PENDING (short
 * transaction under the job lock), claimed for sending (a committed lease, so that one replica
 * sends it), sent, and then marked MINED or, once {@code confirmations} blocks deep, ANCHORED. A
 * crash between sending and marking leaves a PENDING row: the next run finds the checkpoint on
 * chain (the contract is read by tree size) and marks it without sending again; the contract refuses
 * a tree size that does not grow, so no checkpoint can ever be recorded twice.
 *
 * <p>Every run re-reads the checkpoints mined in the last {@code reorgWindowBlocks} blocks from the
 * contract. One that is no longer there (its block was reorganised away) goes back to PENDING,
 * is counted and logged, and is sent again; $verify answers pending for it until then. If the
 * contract itself is gone, the connection redeploys it (see {@link ChainConnection}).
 */
public final class CheckpointJob {

    private static final Logger log = LoggerFactory.getLogger(CheckpointJob.class);

    private final ChainConnection chain;
    private final CheckpointRepository checkpoints;
    private final LogRepository logRepository;
    private final JobLock lock;
    private final AnchoringProperties properties;
    private final ChainProperties chainProperties;
    private final AnchoringMetrics metrics;
    private final Clock clock;
    private final CheckpointRequests requests;
    private volatile String lastWarning;

    public CheckpointJob(
            ChainConnection chain,
            CheckpointRepository checkpoints,
            LogRepository logRepository,
            JdbcTemplate jdbc,
            TransactionTemplate transactions,
            AnchoringProperties properties,
            ChainProperties chainProperties,
            AnchoringMetrics metrics,
            Clock clock,
            CheckpointRequests requests) {
        this.chain = chain;
        this.checkpoints = checkpoints;
        this.logRepository = logRepository;
        this.lock = new JobLock(JobLock.CHECKPOINT, jdbc, transactions);
        this.properties = properties;
        this.chainProperties = chainProperties;
        this.metrics = metrics;
        this.clock = clock;
        this.requests = requests;
    }

    public void run() {
        lock.run(() -> {
            if (checkpoints.pending().isEmpty()) {
                takeCheckpointIfDue();
            }
        });
        Ledger ledger;
        try {
            ledger = chain.ledger();
            reconcile(ledger);
        } catch (RuntimeException e) {
            failed(e, "Checking anchored checkpoints on chain failed");
            return;
        }
        for (Checkpoint checkpoint : checkpoints.pending()) {
            if (!anchor(ledger, checkpoint)) {
                return;
            }
        }
    }

    private void takeCheckpointIfDue() {
        TreeHead head = logRepository.head();
        long lastSize = checkpoints.latest().map(Checkpoint::treeSize).orElse(0L);
        long waiting = head.treeSize() - lastSize;
        if (waiting <= 0) {
            return;
        }
        Instant oldestWaiting = logRepository.sequencedAtOfLeaf(lastSize).orElse(head.updatedAt());
        boolean due = waiting >= properties.checkpointEveryEntries()
                || requests.requested(lastSize, head.treeSize())
                || !Duration.between(oldestWaiting, clock.instant())
                        .minus(properties.checkpointInterval())
                        .isNegative();
        if (due) {
            checkpoints.insertPending(head.treeSize(), head.rootHash(), clock.instant());
        }
    }

    /**
     * Confirms mined checkpoints and re-checks recent ones: each is read back from the contract. A
     * checkpoint the contract no longer has is queued again; one whose block moved is updated.
     */
    private void reconcile(Ledger ledger) {
        long head = ledger.blockNumber();
        List<Checkpoint> recent = checkpoints.onChainSince(head - chainProperties.reorgWindowBlocks());
        for (Checkpoint checkpoint : recent) {
            Optional<OnChainCheckpoint> onChain = ledger.checkpointBySize(checkpoint.treeSize());
            if (onChain.isEmpty() || !onChain.get().hasRoot(checkpoint.rootHash())) {
                String reason = "reorganised: transaction " + checkpoint.txHash() + " of block "
                        + checkpoint.blockNumber() + " is no longer in the canonical chain (head " + head + ")";
                if (checkpoints.requeue(checkpoint.treeSize(), reason)) {
                    metrics.checkpointReorganised();
                    log.warn(
                            "Checkpoint at tree size {} is no longer on chain ({}); queued to be anchored again",
                            checkpoint.treeSize(),
                            reason);
                }
                continue;
            }
            long block = onChain.get().blockNumber();
            boolean confirmed = head - block + 1 >= chainProperties.confirmations();
            if (checkpoint.status() == Checkpoint.Status.MINED && confirmed) {
                checkpoints.markConfirmed(checkpoint.treeSize(), block, clock.instant());
                confirmedNow(
                        checkpoint,
                        new AnchorReceipt(
                                checkpoint.txHash(),
                                block,
                                checkpoint.gasUsed() == null ? 0 : checkpoint.gasUsed(),
                                false));
            } else if (checkpoint.blockNumber() == null || checkpoint.blockNumber() != block) {
                checkpoints.moveBlock(checkpoint.treeSize(), block);
            }
        }
    }

    /** Claims and sends one checkpoint; false if the chain could not take it now (it stays pending). */
    private boolean anchor(Ledger ledger, Checkpoint checkpoint) {
        Instant now = clock.instant();
        Duration lease = chainProperties.receiptTimeout().multipliedBy(4).plusMinutes(1);
        if (!checkpoints.claim(checkpoint.treeSize(), now, now.plus(lease))) {
            return false; // another replica is sending it
        }
        long sending = System.nanoTime();
        try {
            AnchorReceipt receipt = ledger.submitCheckpoint(checkpoint.treeSize(), checkpoint.rootHash(), null);
            long head = ledger.blockNumber();
            boolean confirmed = head - receipt.blockNumber() + 1 >= chainProperties.confirmations();
            checkpoints.markMined(
                    checkpoint.treeSize(),
                    ledger.chainId(),
                    ledger.contractAddress(),
                    receipt,
                    confirmed,
                    clock.instant());
            metrics.checkpointSent(System.nanoTime() - sending);
            log.info(
                    "Checkpoint at tree size {} {} in block {} ({} gas{})",
                    checkpoint.treeSize(),
                    confirmed ? "anchored" : "mined, awaiting " + chainProperties.confirmations() + " confirmations,",
                    receipt.blockNumber(),
                    receipt.gasUsed(),
                    receipt.alreadyAnchored() ? ", found already on chain" : "");
            if (confirmed) {
                confirmedNow(checkpoint, receipt);
            }
            lastWarning = null;
            return true;
        } catch (LedgerRevertedException e) {
            Optional<OnChainCheckpoint> latest = ledger.latestCheckpoint();
            if ("TreeSizeNotIncreasing".equals(e.errorName())
                    && latest.isPresent()
                    && latest.get().treeSize() > checkpoint.treeSize()) {
                checkpoints.markSuperseded(
                        checkpoint.treeSize(), "checkpoint " + latest.get().treeSize() + " is on chain");
                log.warn(
                        "Checkpoint at tree size {} superseded: the larger checkpoint {} is on chain and covers it",
                        checkpoint.treeSize(),
                        latest.get().treeSize());
                return true;
            }
            checkpoints.recordFailure(checkpoint.treeSize(), e.getClass().getSimpleName() + ": " + e.getMessage());
            failed(e, "Checkpoint at tree size " + checkpoint.treeSize() + " refused by the contract");
            return false;
        } catch (RuntimeException e) {
            checkpoints.recordFailure(checkpoint.treeSize(), e.getClass().getSimpleName() + ": " + e.getMessage());
            failed(e, "Checkpoint at tree size " + checkpoint.treeSize() + " not anchored yet");
            return false;
        }
    }

    private void confirmedNow(Checkpoint checkpoint, AnchorReceipt receipt) {
        Instant anchoredAt = clock.instant();
        long previousSize = checkpoints
                .latestAnchoredBelow(checkpoint.treeSize())
                .map(Checkpoint::treeSize)
                .orElse(0L);
        metrics.checkpointAnchored(
                receipt, checkpoint, logRepository.recordedAtOfLeaves(previousSize, checkpoint.treeSize()), anchoredAt);
    }

    private void failed(RuntimeException e, String what) {
        chain.recordFailure(e);
        if (e instanceof ContractMismatchException mismatch && mismatch.codeMissing()) {
            // The deployment was reorganised away: reconnecting redeploys it (when this database deployed it).
            chain.reset();
        }
        // The same failure every half second is one warning, not hundreds.
        String message = what + ": " + e;
        if (!message.equals(lastWarning)) {
            log.warn("{} (logged once until it changes or succeeds)", message);
            lastWarning = message;
        } else {
            log.debug(message);
        }
    }
}
