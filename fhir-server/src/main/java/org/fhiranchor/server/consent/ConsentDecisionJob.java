package org.fhiranchor.server.consent;

import java.time.Clock;
import java.util.Optional;
import org.fhiranchor.anchor.chain.AnchorReceipt;
import org.fhiranchor.anchor.chain.Ledger;
import org.fhiranchor.anchor.chain.LedgerRevertedException;
import org.fhiranchor.anchor.chain.OnChainConsentDecision;
import org.fhiranchor.server.anchoring.ChainConnection;
import org.fhiranchor.server.log.JobLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends queued consent decisions to the contract in queue order, under a database lock (one
 * sender across replicas). Resumable and idempotent: the ledger reports a decision already on
 * chain as done, and the contract refuses a version that does not grow, so a crash between
 * sending and noting leaves a PENDING row that the next run finds recorded. A transient failure
 * stops the run (versions of one consent must arrive in order); a permanent refusal marks the
 * row FAILED so that it does not block the queue.
 */
public final class ConsentDecisionJob {

    private static final Logger log = LoggerFactory.getLogger(ConsentDecisionJob.class);

    private final ChainConnection chain;
    private final ConsentOutbox outbox;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final int batchSize;
    private final Clock clock;

    public ConsentDecisionJob(ChainConnection chain, ConsentOutbox outbox, JdbcTemplate jdbc,
            TransactionTemplate transactions, int batchSize, Clock clock) {
        this.chain = chain;
        this.outbox = outbox;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.batchSize = batchSize;
        this.clock = clock;
    }

    public void run() {
        transactions.executeWithoutResult(status -> {
            JobLock.acquire(jdbc, JobLock.CONSENT);
            for (ConsentOutbox.Row row : outbox.pending(batchSize)) {
                if (!send(row)) {
                    return;
                }
            }
        });
    }

    private boolean send(ConsentOutbox.Row row) {
        try {
            Ledger ledger = chain.ledger();
            AnchorReceipt receipt = ledger.recordConsentDecision(row.decision());
            outbox.markRecorded(row.rowId(), receipt, clock.instant());
            // Only the row id and version: the consent id is not secret, but logs need no more.
            log.info("Recorded consent decision row {} (version {}) in block {}", row.rowId(),
                    row.decision().consentVersion(), receipt.blockNumber());
            return true;
        } catch (LedgerRevertedException e) {
            Optional<OnChainConsentDecision> latest = chain.ledger().latestConsentDecision(row.decision().consentKey());
            if (latest.isPresent() && latest.get().matches(row.decision())) {
                outbox.markRecorded(row.rowId(), new AnchorReceipt(null, latest.get().blockNumber(), 0, true), clock.instant());
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
