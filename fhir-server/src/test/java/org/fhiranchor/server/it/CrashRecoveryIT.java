package org.fhiranchor.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.fhiranchor.server.cli.ServerLauncher;
import org.fhiranchor.server.support.SharedData;
import org.fhiranchor.server.support.TestDataDirectory;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the server in the middle of a Synthea ingest, then a restart on the same data: every
 * committed version is in the log, and everything is anchored exactly once.
 */
class CrashRecoveryIT {

    @Test
    void killDuringIngest_restart_everyCommittedVersionLoggedAndAnchoredOnce() throws Exception {
        Path dataDir = TestDataDirectory.newSubdirectory("crash-");
        List<Path> bundles;
        try (Stream<Path> files = Files.list(SharedData.synthea())) {
            bundles = files.filter(p -> p.getFileName().toString().matches("[A-Z].*\\.json"))
                    .sorted()
                    .toList();
        }
        AtomicInteger committed = new AtomicInteger();
        ServerLauncher first =
                ServerLauncher.start(ProcessTests.jar(), dataDir, ProcessTests.FAST_CHECKPOINTS, Map.of());
        try {
            AnchoringClient client = new AnchoringClient(first);
            CompletableFuture<Void> ingest = CompletableFuture.runAsync(() -> {
                for (Path bundle : bundles) {
                    try {
                        if (client.postBundle(bundle) != 200) {
                            return;
                        }
                        committed.incrementAndGet();
                    } catch (Exception killed) {
                        return;
                    }
                }
            });
            await("some bundles committed").atMost(Duration.ofMinutes(3)).until(() -> committed.get() >= 6);
            first.kill();
            ingest.join();
        } finally {
            first.close();
        }
        assertThat(committed.get()).isLessThan(bundles.size());

        try (ServerLauncher second =
                ServerLauncher.start(ProcessTests.jar(), dataDir, ProcessTests.FAST_CHECKPOINTS, Map.of())) {
            AnchoringClient client = new AnchoringClient(second);
            // Every version the database holds has its log entry, and hashes to it.
            assertThat(client.sweepProblems()).isEmpty();
            int patients = client.get("/Patient?_summary=count").path("total").asInt();
            assertThat(patients).isGreaterThanOrEqualTo(committed.get());

            await("everything anchored").atMost(Duration.ofMinutes(3)).until(() -> {
                JsonNode health = client.anchoringHealth();
                return health.path("logEntries").asLong() > 0
                        && health.path("unanchoredEntries").asLong() == 0;
            });
            JsonNode health = client.anchoringHealth();
            assertThat(client.assertChainMatchesServer(health.path("rpcUrl").asText()))
                    .isPositive();
        }
    }
}
