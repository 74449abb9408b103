package org.fhiranchor.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.fhiranchor.anchor.chain.AnvilNode;
import org.fhiranchor.server.cli.ServerLauncher;
import org.fhiranchor.server.support.PostgresTestDatabase;
import org.fhiranchor.server.support.SharedData;
import org.fhiranchor.server.support.TestDataDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

/**
 * Two server replicas on one PostgreSQL database and one chain, ingesting at the same time: one
 * sequence of leaves without gaps or duplicates, each checkpoint anchored once.
 */
@ExtendWith(PostgresTestDatabase.class)
class TwoReplicasIT {

    @Test
    void concurrentIngestOnTwoReplicas_oneLogOneSequenceEachCheckpointOnce() throws Exception {
        Path dir = TestDataDirectory.newSubdirectory("replicas-");
        String key =
                Numeric.toHexStringNoPrefixZeroPadded(Keys.createEcKeyPair().getPrivateKey(), 64);
        List<Path> bundles;
        try (Stream<Path> files = Files.list(SharedData.synthea())) {
            bundles = files.filter(p -> p.getFileName().toString().matches("[A-Z].*\\.json"))
                    .sorted()
                    .limit(12)
                    .toList();
        }
        try (AnvilNode node = AnvilNode.start(AnvilNode.Options.defaults().withLogFile(dir.resolve("anvil.log")))) {
            node.fund(Credentials.create(key).getAddress(), BigInteger.TEN.pow(21));
            List<String> args = List.of(
                    "--fhir-anchor.anchoring.checkpoint-interval=1s",
                    "--spring.profiles.active=postgres",
                    "--spring.datasource.url=" + PostgresTestDatabase.url(),
                    "--spring.datasource.username=" + PostgresTestDatabase.USER,
                    "--fhir-anchor.chain.mode=external",
                    "--fhir-anchor.chain.rpc-url=" + node.rpcUrl());
            Map<String, String> env = Map.of(
                    "FHIR_ANCHOR_CHAIN_PRIVATE_KEY", key, "SPRING_DATASOURCE_PASSWORD", PostgresTestDatabase.PASSWORD);
            // One after the other: the first creates the schema.
            try (ServerLauncher a = ServerLauncher.start(ProcessTests.jar(), dir.resolve("a"), args, env);
                    ServerLauncher b = ServerLauncher.start(ProcessTests.jar(), dir.resolve("b"), args, env)) {
                AnchoringClient clientA = new AnchoringClient(a);
                AnchoringClient clientB = new AnchoringClient(b);
                List<Path> forA = new ArrayList<>();
                List<Path> forB = new ArrayList<>();
                for (int i = 0; i < bundles.size(); i++) {
                    (i % 2 == 0 ? forA : forB).add(bundles.get(i));
                }
                CompletableFuture<Void> ingestA = CompletableFuture.runAsync(() -> ingest(clientA, forA));
                CompletableFuture<Void> ingestB = CompletableFuture.runAsync(() -> ingest(clientB, forB));
                ingestA.join();
                ingestB.join();

                await("everything anchored").atMost(Duration.ofMinutes(3)).until(() -> {
                    JsonNode health = clientB.anchoringHealth();
                    return health.path("logEntries").asLong() > 0
                            && health.path("unanchoredEntries").asLong() == 0;
                });
                assertThat(clientA.sweepProblems()).isEmpty();

                try (Connection db = DriverManager.getConnection(
                                PostgresTestDatabase.url(), PostgresTestDatabase.USER, PostgresTestDatabase.PASSWORD);
                        Statement sql = db.createStatement();
                        // Sequenced entries only: the test's own requests keep adding AuditEvents.
                        ResultSet rs = sql.executeQuery(
                                "SELECT COUNT(leaf_index), COUNT(DISTINCT leaf_index), MIN(leaf_index), "
                                        + "MAX(leaf_index) FROM anchor_log_entry")) {
                    rs.next();
                    long leaves = rs.getLong(1);
                    assertThat(leaves).isGreaterThan(1000);
                    assertThat(rs.getLong(2)).as("distinct leaf indexes").isEqualTo(leaves);
                    assertThat(rs.getLong(3)).isZero();
                    assertThat(rs.getLong(4)).as("no gap").isEqualTo(leaves - 1);
                }

                List<JsonNode> checkpoints = clientA.checkpoints();
                String contract =
                        AnchoringClient.part(checkpoints.get(0), "contract").asText();
                assertThat(checkpoints)
                        .allMatch(c -> AnchoringClient.part(c, "contract")
                                        .asText()
                                        .equals(contract)
                                || AnchoringClient.part(c, "status").asText().equals("pending"));
                assertThat(clientB.assertChainMatchesServer(node.rpcUrl())).isPositive();
            }
        }
    }

    private static void ingest(AnchoringClient client, List<Path> bundles) {
        for (Path bundle : bundles) {
            try {
                assertThat(client.postBundle(bundle)).isEqualTo(200);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
