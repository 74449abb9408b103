package org.fhiranchor.server.consent;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fhiranchor.anchor.chain.AnchorReceipt;
import org.fhiranchor.anchor.chain.Ledger;
import org.fhiranchor.anchor.chain.LedgerRevertedException;
import org.fhiranchor.anchor.chain.OnChainConsentDecision;
import org.fhiranchor.server.anchoring.ChainConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends queued consent decisions to the contract in queue order, everything waiting in one
 * transaction per run. Resumable and idempotent: rows already on chain are marked without
 * sending, and the contract refuses a version that does not grow, so a crash between sending and
 * noting leaves PENDING rows that the next run finds recorded. A transient failure stops the run
 * (versions of one consent must arrive in order); a batch the contract refuses is sent one by one,
 * and a permanent refusal marks only that row FAILED so that it does not block the queue.
 */
public final class ConsentDecisionJob {

    private static final Logger log = LoggerFactory.getLogger(ConsentDecisionJob.class);

    private final ChainConnection chain;
    private final ConsentOutbox outbox;
    private final int batchSize;
    private final Clock clock;

    public ConsentDecisionJob(ChainConnection chain, ConsentOutbox outbox, int batchSize, Clock clock) {
        this.chain = chain;
        this.outbox = outbox;
        this.batchSize = batchSize;
        this.clock = clock;
    }

    /**
     * Sends outside any database transaction (a send can wait for a receipt for a while): each row
     * is marked in its own statement once the chain took it. Two replicas sending the same row at
     * once cannot record it twice: the contract refuses a version that does not grow, and the
     * refusal with the same decision on chain counts as recorded.
     */
    public void run() {
        List<ConsentOutbox.Row> rows = outbox.pending(batchSize);
        if (rows.isEmpty()) {
            return;
        }
        List<ConsentOutbox.Row> batch = new ArrayList<>();
        try {
            for (ConsentOutbox.Row row : rows) {
                if (!alreadyOnChain(row)) {
                    batch.add(row);
                }
            }
        } catch (RuntimeException e) {
            chain.recordFailure(e);
            log.warn("Consent decisions not recorded yet: {}", e.toString());
            return;
        }
        if (batch.isEmpty()) {
            return;
        }
        // One transaction for everything waiting: the interval's decisions share the 21,000 gas base cost.
        try {
            AnchorReceipt receipt = chain.ledger()
                    .recordConsentDecisions(
                            batch.stream().map(ConsentOutbox.Row::decision).toList());
            for (ConsentOutbox.Row row : batch) {
                outbox.markRecorded(row.rowId(), receipt, clock.instant());
            }
            log.info(
                    "Recorded {} consent decision(s) (rows {}..{}) in one transaction in block {} ({} gas)",
                    batch.size(),
                    batch.get(0).rowId(),
                    batch.get(batch.size() - 1).rowId(),
                    receipt.blockNumber(),
                    receipt.gasUsed());
        } catch (LedgerRevertedException e) {
            // One of them is refused: one by one, so that only that one is marked FAILED.
            for (ConsentOutbox.Row row : batch) {
                if (!send(row)) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            chain.recordFailure(e);
            for (ConsentOutbox.Row row : batch) {
                outbox.markFailed(
                        row.rowId(), ConsentOutbox.PENDING, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            log.warn("{} consent decision(s) not recorded yet: {}", batch.size(), e.toString());
        }
    }

    /**
     * Whether the row's version (or a later one) of its consent is already on chain: an earlier
     * attempt landed before a crash, or another replica sent it. Marks the row then.
     */
    private boolean alreadyOnChain(ConsentOutbox.Row row) {
        Optional<OnChainConsentDecision> latest =
                chain.ledger().latestConsentDecision(row.decision().consentKey());
        if (latest.isEmpty() || latest.get().consentVersion() < row.decision().consentVersion()) {
            return false;
        }
        Optional<OnChainConsentDecision> same = latest.get().consentVersion()
                        == row.decision().consentVersion()
                ? latest
                : chain.ledger()
                        .consentDecision(
                                row.decision().consentKey(), row.decision().consentVersion());
        if (same.isPresent() && same.get().matches(row.decision())) {
            outbox.markRecorded(
                    row.rowId(), new AnchorReceipt(null, same.get().blockNumber(), 0, true), clock.instant());
        } else {
            outbox.markFailed(
                    row.rowId(),
                    ConsentOutbox.FAILED,
                    "refused: version " + latest.get().consentVersion() + " of this consent is already on chain");
        }
        return true;
    }

    private boolean send(ConsentOutbox.Row row) {
        try {
            Ledger ledger = chain.ledger();
            AnchorReceipt receipt = ledger.recordConsentDecision(row.decision());
            outbox.markRecorded(row.rowId(), receipt, clock.instant());
            // Only the row id and version: the consent id is not secret, but logs need no more.
            log.info(
                    "Recorded consent decision row {} (version {}) in block {}",
                    row.rowId(),
                    row.decision().consentVersion(),
                    receipt.blockNumber());
            return true;
        } catch (LedgerRevertedException e) {
            Optional<OnChainConsentDecision> latest =
                    chain.ledger().latestConsentDecision(row.decision().consentKey());
            if (latest.isPresent() && latest.get().matches(row.decision())) {
                outbox.markRecorded(
                        row.rowId(), new AnchorReceipt(null, latest.get().blockNumber(), 0, true), clock.instant());
                return true;
            }
            outbox.markFailed(row.rowId(), ConsentOutbox.FAILED, "refused by the contract: " + e.errorName());
            log.warn("Consent decision row {} refused by the contract: {}", row.rowId(), e.errorName());
            return true;
        } catch (RuntimeException e) {
            chain.recordFailure(e);
            outbox.markFailed(row.rowId(), ConsentOutbox.PENDING, e.getClass().getSimpleName() + ": " + e.getMessage());
            log.warn("Consent decision row {} not recorded yet: {}", row.rowId(), e.toString());
            return false;
        }
    }
}
