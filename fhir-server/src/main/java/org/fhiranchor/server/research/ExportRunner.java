package org.fhiranchor.server.research;

import java.time.Instant;
import java.util.UUID;

/**
 * One tick of the export runner: claims the next queued export (or one whose server died) and runs it to its end.
 * Every replica runs one; the claim decides which of them runs a given export.
 */
final class ExportRunner implements Runnable {

    private final ExportServices services;
    private final String owner = UUID.randomUUID().toString();

    ExportRunner(ExportServices services) {
        this.services = services;
    }

    @Override
    public void run() {
        Instant now = services.clock().instant();
        services.exports()
                .claimNext(owner, now, now.minus(services.properties().staleAfter()))
                .ifPresent(export -> new ResearchExportJob(services, export, owner).run());
    }
}
