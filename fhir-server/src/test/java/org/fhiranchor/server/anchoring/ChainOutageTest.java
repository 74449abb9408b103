package org.fhiranchor.server.anchoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.fhiranchor.anchor.chain.AnvilNode;
import org.fhiranchor.anchor.chain.LedgerReader;
import org.fhiranchor.anchor.chain.LedgerSettings;
import org.fhiranchor.anchor.chain.Web3jLedger;
import org.fhiranchor.server.support.ChainScan;
import org.fhiranchor.server.support.FhirRestTest;
import org.fhiranchor.server.support.SharedData;
import org.fhiranchor.server.support.TestDataDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

/**
 * The chain node goes away during an ingest: writes go on, anchoring waits, and once the node is
 * back everything is anchored with nothing lost or duplicated.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ChainOutageTest extends FhirRestTest {

    private static final Path DATA = TestDataDirectory.newSubdirectory("outage-");
    private static final Path STATE = DATA.resolve("external-chain-state.json");
    private static final String KEY = newKey();
    private static AnvilNode node = startNode(0);

    @Autowired
    CheckpointRepository checkpoints;

    @Autowired
    AnchoringStatus status;

    @Autowired
    AnchoringHealthIndicator health;

    @DynamicPropertySource
    static void externalChain(DynamicPropertyRegistry registry) {
        registry.add("fhir-anchor.test.context-name", () -> "chain-outage");
        registry.add("fhir-anchor.chain.mode", () -> "external");
        registry.add("fhir-anchor.chain.rpc-url", () -> node.rpcUrl());
        registry.add("fhir-anchor.chain.private-key", () -> KEY);
        registry.add("fhir-anchor.chain.receipt-timeout", () -> "5s");
    }

    @AfterAll
    static void stopNode() {
        node.stop();
    }

    @Test
    void nodeDownDuringIngest_writesContinue_anchoringCatchesUp() throws Exception {
        List<Path> bundles;
        try (Stream<Path> files = Files.list(SharedData.synthea())) {
            bundles = files.filter(p -> p.getFileName().toString().matches("[A-Z].*\\.json"))
                    .sorted()
                    .limit(6)
                    .toList();
        }
        ingest(bundles.subList(0, 2));
        await("first bundles anchored")
                .atMost(Duration.ofMinutes(2))
                .until(() -> status.snapshot().unanchoredEntries() == 0);
        long anchoredBefore = status.snapshot().anchoredTreeSize();

        int port = node.port();
        node.stop();
        ingest(bundles.subList(2, 6));
        await("the outage noticed")
                .atMost(Duration.ofMinutes(2))
                .until(() -> health.health().getStatus() == org.springframework.boot.actuate.health.Status.DOWN);
        AnchoringStatus.Snapshot during = status.snapshot();
        assertThat(during.anchoredTreeSize()).isEqualTo(anchoredBefore);
        assertThat(during.unanchoredEntries()).isPositive();
        assertThat(health.health().getStatus()).isEqualTo(org.springframework.boot.actuate.health.Status.DOWN);

        node = startNode(port);
        await("anchoring caught up")
                .atMost(Duration.ofMinutes(2))
                .until(() -> status.snapshot().unanchoredEntries() == 0);

        List<Checkpoint> all = checkpoints.page(0, 10_000);
        assertThat(all).allMatch(Checkpoint::anchored);
        assertThat(all.get(all.size() - 1).treeSize())
                .isEqualTo(status.snapshot().logEntries());
        try (LedgerReader chain = Web3jLedger.readOnly(
                LedgerSettings.forUrl(node.rpcUrl()), all.get(0).contractAddress())) {
            assertThat(chain.checkpointCount()).isEqualTo(all.size());
            for (Checkpoint checkpoint : all) {
                assertThat(chain.checkpointBySize(checkpoint.treeSize())
                                .orElseThrow()
                                .root())
                        .isEqualTo(checkpoint.rootHash());
            }
        }
        noPatientDataOnChain(bundles);
    }

    /** Whatever an outsider reads on this chain contains none of the ingested patients' identifying strings. */
    private void noPatientDataOnChain(List<Path> bundles) throws Exception {
        List<String> secrets = new java.util.ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (Path bundle : bundles) {
            for (JsonNode entry : json.readTree(bundle.toFile()).path("entry")) {
                JsonNode resource = entry.path("resource");
                if (resource.path("resourceType").asText().equals("Patient")) {
                    secrets.add(resource.path("id").asText());
                    resource.path("identifier")
                            .forEach(id -> secrets.add(id.path("value").asText()));
                    resource.path("name").forEach(name -> {
                        secrets.add(name.path("family").asText());
                        name.path("given").forEach(given -> secrets.add(given.asText()));
                    });
                }
            }
        }
        List<String> payloads = ChainScan.everyPayload(node.rpcUrl());
        assertThat(payloads).isNotEmpty();
        for (String secret : secrets) {
            if (secret.length() < 4) {
                continue; // too short to mean anything in hex noise
            }
            String hex = java.util.HexFormat.of().formatHex(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(payloads).as("on chain: " + secret).noneMatch(p -> p.contains(hex));
        }
    }

    private void ingest(List<Path> bundles) throws Exception {
        for (Path bundle : bundles) {
            assertThat(http("POST", "", "application/fhir+json", Files.readAllBytes(bundle))
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    private static AnvilNode startNode(int port) {
        AnvilNode started = AnvilNode.start(
                AnvilNode.Options.defaults().withPort(port).withState(STATE, 1).withLogFile(DATA.resolve("anvil.log")));
        started.fund(Credentials.create(KEY).getAddress(), BigInteger.TEN.pow(21));
        return started;
    }

    private static String newKey() {
        try {
            return Numeric.toHexStringNoPrefixZeroPadded(Keys.createEcKeyPair().getPrivateKey(), 64);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
