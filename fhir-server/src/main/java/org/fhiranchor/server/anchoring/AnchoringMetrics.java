package org.fhiranchor.server.anchoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.fhiranchor.anchor.chain.AnchorReceipt;

/** Meters of the anchoring pipeline: gas spent, checkpoints and leaves anchored, backlog and lag. */
public final class AnchoringMetrics {

    private final Counter gas;
    private final Counter checkpoints;
    private final Counter leaves;
    private final Timer lag;
    private final Counter reorganised;
    private final Timer checkpointSend;
    private final Timer sequencerPass;
    private final Counter sequenced;

    public AnchoringMetrics(MeterRegistry registry, AnchoringStatus status, ChainConnection chain) {
        FunctionCounter.builder("fhir_anchor.anchoring.transactions.replaced", chain, ChainConnection::replacements)
                .description(
                        "Transactions replaced with a higher fee (same nonce) or re-broadcast because they were not mined in time")
                .register(registry);
        FunctionCounter.builder("fhir_anchor.anchoring.contract.redeployed", chain, ChainConnection::redeployments)
                .description("Deployments of the contract found reorganised away and made again")
                .register(registry);
        gas = Counter.builder("fhir_anchor.anchoring.gas.used")
                .description("Gas spent on anchoring transactions")
                .register(registry);
        checkpoints = Counter.builder("fhir_anchor.anchoring.checkpoints")
                .description("Checkpoints anchored")
                .register(registry);
        leaves = Counter.builder("fhir_anchor.anchoring.leaves")
                .description("Leaves anchored one by one (per-version mode)")
                .register(registry);
        reorganised = Counter.builder("fhir_anchor.anchoring.checkpoints.reorganised")
                .description("Checkpoints found no longer on chain (reorganisation) and queued to be anchored again")
                .register(registry);
        lag = Timer.builder("fhir_anchor.anchoring.lag")
                .description("Per version: from its commit to the anchoring of the first checkpoint that includes it")
                .publishPercentiles(0.5, 0.9, 0.99)
                .register(registry);
        checkpointSend = Timer.builder("fhir_anchor.anchoring.checkpoint.send")
                .description(
                        "Per checkpoint: from its claim to its transaction mined and recorded (chain round trip included)")
                .register(registry);
        sequencerPass = Timer.builder("fhir_anchor.log.sequencer.pass")
                .description("Sequencer passes that gave at least one entry a leaf: time of the pass (all its batches)")
                .register(registry);
        sequenced = Counter.builder("fhir_anchor.log.sequenced")
                .description("Log entries given a leaf by the sequencer")
                .register(registry);
        Gauge.builder("fhir_anchor.anchoring.backlog", status, s -> s.snapshot().unanchoredEntries())
                .description("Log entries not yet covered by an anchored checkpoint")
                .register(registry);
        Gauge.builder(
                        "fhir_anchor.anchoring.lag.seconds",
                        status,
                        s -> s.snapshot().lagSeconds())
                .description("Age of the oldest log entry not yet anchored")
                .register(registry);
    }

    void checkpointAnchored(
            AnchorReceipt receipt, Checkpoint checkpoint, List<Instant> recordedAt, Instant anchoredAt) {
        checkpoints.increment();
        recordedAt.forEach(committed -> lag.record(Duration.between(committed, anchoredAt)));
        if (!receipt.alreadyAnchored()) {
            gas.increment(receipt.gasUsed());
        }
    }

    /** Runs one sequencer pass and, if it sequenced anything, records its time and entry count. */
    public long timeSequencerPass(java.util.function.LongSupplier pass) {
        long started = System.nanoTime();
        long entries = pass.getAsLong();
        if (entries > 0) {
            sequencerPass.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
            sequenced.increment(entries);
        }
        return entries;
    }

    void checkpointSent(long nanos) {
        checkpointSend.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    void checkpointReorganised() {
        reorganised.increment();
    }

    void leafAnchored(AnchorReceipt receipt) {
        leaves.increment();
        if (!receipt.alreadyAnchored()) {
            gas.increment(receipt.gasUsed());
        }
    }
}
