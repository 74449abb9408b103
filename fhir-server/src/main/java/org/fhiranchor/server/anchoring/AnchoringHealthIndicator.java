package org.fhiranchor.server.anchoring;

import org.fhiranchor.anchor.chain.Ledger;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Health of anchoring: DOWN while the chain cannot be reached (versions are still stored and
 * logged; they are anchored when it returns), with the backlog and lag either way.
 */
public final class AnchoringHealthIndicator implements HealthIndicator {

    private final ChainConnection chain;
    private final AnchoringStatus status;

    public AnchoringHealthIndicator(ChainConnection chain, AnchoringStatus status) {
        this.chain = chain;
        this.status = status;
    }

    @Override
    public Health health() {
        AnchoringStatus.Snapshot snapshot = status.snapshot();
        Health.Builder builder;
        try {
            Ledger ledger = chain.ledger();
            builder = Health.up()
                    .withDetail("rpcUrl", chain.rpcUrl())
                    .withDetail("chainId", ledger.chainId())
                    .withDetail("contract", ledger.contractAddress())
                    .withDetail("blockNumber", ledger.blockNumber());
        } catch (RuntimeException e) {
            builder = Health.down()
                    .withDetail("chain", "unreachable: " + e.getClass().getSimpleName());
        }
        return builder.withDetail("logEntries", snapshot.logEntries())
                .withDetail("treeSize", snapshot.treeSize())
                .withDetail("anchoredTreeSize", snapshot.anchoredTreeSize())
                .withDetail("unanchoredEntries", snapshot.unanchoredEntries())
                .withDetail("lagSeconds", snapshot.lagSeconds())
                .build();
    }
}
