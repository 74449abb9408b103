package org.fhiranchor.server.tlog;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import org.fhiranchor.server.anchoring.CheckpointRepository;
import org.fhiranchor.server.log.JdbcSubtreeHashes;
import org.fhiranchor.server.log.LogRepository;
import org.fhiranchor.server.support.ClinicalFixtures;
import org.fhiranchor.server.support.FhirRestTest;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.beans.factory.annotation.Autowired;

/** Tests of the /log endpoints: writes through FHIR, then waits for the checkpoint that covers the writes. */
abstract class TlogHttpTest extends FhirRestTest {

    @Autowired
    protected CheckpointNotes notes;

    @Autowired
    protected CheckpointRepository checkpoints;

    @Autowired
    protected LogRepository log;

    @Autowired
    protected JdbcSubtreeHashes subtrees;

    /** Writes {@code versions} Patients (in transactions of up to 100) and waits until an anchored checkpoint covers them. */
    protected long writeAndAwaitCheckpoint(int versions) throws Exception {
        String system = "urn:fhir-anchor:test:" + UUID.randomUUID();
        for (int done = 0; done < versions; done += 100) {
            Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            for (int i = done; i < Math.min(versions, done + 100); i++) {
                transaction
                        .addEntry()
                        .setResource(ClinicalFixtures.patient(system, "tlog-" + i, "Tiled", "1980-01-01"))
                        .getRequest()
                        .setMethod(Bundle.HTTPVerb.POST)
                        .setUrl("Patient");
            }
            client.transaction().withBundle(transaction).execute();
        }
        await("the writes sequenced").atMost(Duration.ofSeconds(60)).until(() -> log.unsequencedCount() == 0);
        long written = log.head().treeSize();
        await("a checkpoint anchored at or above " + written)
                .atMost(Duration.ofSeconds(90))
                .until(() -> checkpoints
                        .latestAnchored()
                        .map(c -> c.treeSize() >= written)
                        .orElse(false));
        return checkpoints.latestAnchored().orElseThrow().treeSize();
    }
}
