package org.fhiranchor.server.anchoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.fhiranchor.anchor.chain.AnvilNode;
import org.fhiranchor.anchor.chain.LedgerSettings;
import org.fhiranchor.anchor.chain.Web3jLedger;
import org.fhiranchor.server.support.FhirRestTest;
import org.fhiranchor.server.support.TestDataDirectory;
import org.hl7.fhir.r4.model.Parameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;

/**
 * The server against an external Anvil that reorganises and drops transactions, driven through
 * Anvil's own controls (evm_snapshot/evm_revert, evm_setAutomine/evm_mine,
 * anvil_dropAllTransactions), with two confirmations. Reproduces issue 19: after evm_revert removed
 * the deployment and the checkpoints, the server logged IndexOutOfBoundsException forever and never
 * anchored again; a dropped checkpoint transaction was never sent again.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ReorganisationTest extends FhirRestTest {

    private static final Path DATA = TestDataDirectory.newSubdirectory("reorg-");
    /** Anvil's first dev account (funded and unlocked on the node); its key stays in Anvil. */
    private static final String SIGNER = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";

    private static final AnvilNode NODE = startNode();
    /** Taken before the server deployed anything, as the reporter did. */
    private static final String BEFORE_DEPLOYMENT = NODE.snapshot();

    @Autowired
    CheckpointRepository checkpoints;

    @Autowired
    AnchoringStatus status;

    @Autowired
    ChainConnection chain;

    @Autowired
    MeterRegistry meters;

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void externalChain(DynamicPropertyRegistry registry) {
        registry.add("fhir-anchor.test.context-name", () -> "reorganisation");
        registry.add("fhir-anchor.chain.mode", () -> "external");
        registry.add("fhir-anchor.chain.rpc-url", NODE::rpcUrl);
        registry.add("fhir-anchor.chain.remote-signer.url", NODE::rpcUrl);
        registry.add("fhir-anchor.chain.remote-signer.address", () -> SIGNER);
        registry.add("fhir-anchor.chain.confirmations", () -> "2");
        registry.add("fhir-anchor.chain.receipt-timeout", () -> "20s");
        registry.add("fhir-anchor.chain.fees.replace-after", () -> "1s");
        registry.add("fhir-anchor.anchoring.checkpoint-interval", () -> "1s");
    }

    @AfterAll
    static void stopNode() {
        NODE.stop();
    }

    @Test
    void reorganisationsAndDroppedTransactions_nothingLostNothingDuplicated() throws Exception {
        // 1. Anchored normally (a second block confirms each checkpoint: mine while waiting).
        String first = createPatient();
        awaitAnchored(first);
        String lostContract = checkpoints.latestAnchored().orElseThrow().contractAddress();

        // 2. The reporter's reorganisation: back to before the deployment. The contract and every
        //    checkpoint are gone; the server redeploys and anchors everything again.
        assertThat(NODE.revert(BEFORE_DEPLOYMENT)).isTrue();
        String second = createPatient();
        awaitAnchored(second);
        assertThat(verifyStatus(first)).isEqualTo("anchored");
        assertThat(chain.redeployments()).isEqualTo(1);
        assertEverythingOnChainOnce();
        assertThat(lostContract).isNotNull();
        try (Web3jLedger reader = Web3jLedger.readOnly(
                LedgerSettings.forUrl(NODE.rpcUrl()), chain.ledger().contractAddress())) {
            assertThat(reader.owner())
                    .as("deployed and signed by the remote signer's account")
                    .isEqualTo(SIGNER);
        }

        // 3. A reorganisation that removes only the blocks holding a checkpoint: the server notices,
        //    $verify answers pending until the checkpoint is mined again and confirmed.
        String beforeThird = NODE.snapshot(); // before the write: every checkpoint covering it comes later
        String third = createPatient();
        awaitAnchored(third);
        long thirdSize = checkpoints.latestAnchored().orElseThrow().treeSize();
        double reorganisedBefore = reorganisedCount();
        NODE.setAutomine(false);
        assertThat(NODE.revert(beforeThird)).isTrue();
        await("the lost checkpoint noticed")
                .atMost(Duration.ofMinutes(1))
                .until(() -> checkpoints.bySize(thirdSize).orElseThrow().status() == Checkpoint.Status.PENDING);
        assertThat(reorganisedCount()).isGreaterThan(reorganisedBefore);
        assertThat(verifyStatus(third)).isEqualTo("pending");
        // Mining is off: mine one block whenever something waits in the pool, until the checkpoint is in one.
        await("mined again, one confirmation").atMost(Duration.ofMinutes(1)).until(() -> {
            if (checkpoints.bySize(thirdSize).orElseThrow().status() == Checkpoint.Status.MINED) {
                return true;
            }
            if (pendingNonce() > latestNonce() && !onChain(thirdSize)) {
                NODE.mine();
            }
            return false;
        });
        // Nobody mines now: one confirmation of two is not anchored.
        assertThat(verifyStatus(third)).isEqualTo("pending");
        NODE.mine();
        awaitAnchored(third);
        NODE.setAutomine(true);
        assertEverythingOnChainOnce();

        // 4. The node drops the pending checkpoint transaction: it is sent again.
        NODE.setAutomine(false);
        String fourth = createPatient();
        await("checkpoint transaction in the pool")
                .atMost(Duration.ofMinutes(1))
                .until(() -> pendingNonce() > latestNonce());
        NODE.dropAllTransactions();
        NODE.setAutomine(true);
        awaitAnchored(fourth);
        assertEverythingOnChainOnce();
    }

    /** Every checkpoint the database holds as anchored is on chain with its root; no tree size twice. */
    private void assertEverythingOnChainOnce() {
        List<Checkpoint> all = checkpoints.page(0, 100_000);
        List<Checkpoint> anchored = all.stream().filter(Checkpoint::anchored).toList();
        assertThat(anchored).isNotEmpty();
        try (Web3jLedger reader = Web3jLedger.readOnly(
                LedgerSettings.forUrl(NODE.rpcUrl()),
                anchored.get(anchored.size() - 1).contractAddress())) {
            for (Checkpoint checkpoint : anchored) {
                assertThat(reader.checkpointBySize(checkpoint.treeSize()))
                        .as("checkpoint " + checkpoint.treeSize())
                        .hasValueSatisfying(c -> assertThat(c.root()).isEqualTo(checkpoint.rootHash()));
            }
            // The contract refuses a size that does not grow, so its count is the number of distinct sizes sent.
            long onChain = reader.checkpointCount();
            long superseded = all.stream()
                    .filter(c -> c.status() == Checkpoint.Status.SUPERSEDED)
                    .count();
            assertThat(onChain).isBetween((long) anchored.size(), (long) (all.size() - superseded));
        }
    }

    private boolean onChain(long treeSize) {
        try (Web3jLedger reader = Web3jLedger.readOnly(
                LedgerSettings.forUrl(NODE.rpcUrl()), chain.ledger().contractAddress())) {
            return reader.checkpointBySize(treeSize).isPresent();
        }
    }

    private void awaitAnchored(String versionRef) throws Exception {
        await(versionRef + " anchored").atMost(Duration.ofMinutes(2)).until(() -> {
            if (!"anchored".equals(verifyStatus(versionRef))) {
                NODE.mine(); // confirmations need later blocks; an automining dev chain makes none by itself
                return false;
            }
            return true;
        });
    }

    private String createPatient() {
        String body = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:test:reorg\",\"value\":\""
                + UUID.randomUUID() + "\"}]}";
        HttpResponse<String> created =
                http("POST", "/Patient", "application/fhir+json", body.getBytes(StandardCharsets.UTF_8));
        assertThat(created.statusCode()).isEqualTo(201);
        return created.headers()
                .firstValue("Location")
                .orElseThrow()
                .replaceAll(".*/(Patient/[^/]+/_history/[^/]+).*", "$1");
    }

    private String verifyStatus(String versionRef) {
        HttpResponse<String> response = get("/" + versionRef + "/$verify");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return CLIENT_CONTEXT
                .newJsonParser()
                .parseResource(Parameters.class, response.body())
                .getParameter("status")
                .getValue()
                .primitiveValue();
    }

    private double reorganisedCount() {
        return meters.counter("fhir_anchor.anchoring.checkpoints.reorganised").count();
    }

    private long pendingNonce() throws Exception {
        return nonce(DefaultBlockParameterName.PENDING);
    }

    private long latestNonce() throws Exception {
        return nonce(DefaultBlockParameterName.LATEST);
    }

    private long nonce(DefaultBlockParameterName block) throws Exception {
        Web3j web3j = Web3j.build(new HttpService(NODE.rpcUrl()));
        try {
            return web3j.ethGetTransactionCount(SIGNER, block)
                    .send()
                    .getTransactionCount()
                    .longValueExact();
        } finally {
            web3j.shutdown();
        }
    }

    private static AnvilNode startNode() {
        return AnvilNode.start(AnvilNode.Options.defaults().withLogFile(DATA.resolve("anvil.log")));
    }
}
