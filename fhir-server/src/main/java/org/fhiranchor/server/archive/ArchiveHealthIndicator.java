package org.fhiranchor.server.archive;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Health component {@code archive}: DOWN while the last archiver run failed (store unreachable, CID rejected, chain
 * down); writes and anchoring go on regardless, and the backlog is archived once the cause is gone.
 */
public final class ArchiveHealthIndicator implements HealthIndicator {

    private final ArchiveStatus status;
    private final ArchiveStore store;

    public ArchiveHealthIndicator(ArchiveStatus status, ArchiveStore store) {
        this.status = status;
        this.store = store;
    }

    @Override
    public Health health() {
        ArchiveStatus.Snapshot s = status.snapshot();
        Health.Builder builder = s.lastError() == null
                ? Health.up()
                : Health.down()
                        .withDetail("lastError", s.lastError())
                        .withDetail("lastErrorAt", String.valueOf(s.lastErrorAt()));
        return builder.withDetail("store", store.describe())
                .withDetail("anchoredTreeSize", s.anchoredSize())
                .withDetail("archivedTreeSize", s.archivedSize())
                .withDetail("backlog", s.backlog())
                .withDetail("archivesNotOnChain", s.unrecordedArchives())
                .build();
    }
}
