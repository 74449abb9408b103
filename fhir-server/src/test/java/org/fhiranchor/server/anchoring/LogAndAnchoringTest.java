package org.fhiranchor.server.anchoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.fhiranchor.anchor.canonical.ContentHash;
import org.fhiranchor.anchor.chain.LedgerReader;
import org.fhiranchor.anchor.chain.LedgerSettings;
import org.fhiranchor.anchor.chain.OnChainCheckpoint;
import org.fhiranchor.anchor.chain.Web3jLedger;
import org.fhiranchor.anchor.log.MerkleVerifier;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.anchor.proof.AnchorProof;
import org.fhiranchor.anchor.proof.ProofJson;
import org.fhiranchor.anchor.proof.ProofVerifier;
import org.fhiranchor.anchor.proof.VerificationResult;
import org.fhiranchor.server.cli.SweepCommand;
import org.fhiranchor.server.log.LogEntry;
import org.fhiranchor.server.log.LogRepository;
import org.fhiranchor.server.support.ClinicalFixtures;
import org.fhiranchor.server.support.FhirRestTest;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Every committed version is logged in its own transaction, sequenced, anchored, and provable. */
class LogAndAnchoringTest extends FhirRestTest {

    @Autowired
    LogRepository log;

    @Autowired
    ChainConnection chain;

    @Autowired
    JdbcTemplate jdbc;

    private final String system = "urn:fhir-anchor:test:" + UUID.randomUUID();

    @Test
    void createUpdateDelete_eachLoggedWithTheHashOfWhatIsServed() {
        IIdType id = client.create()
                .resource(ClinicalFixtures.patient(system, "log-1", "Logged", "1970-01-01"))
                .execute()
                .getId();
        Patient p = client.read().resource(Patient.class).withId(id.getIdPart()).execute();
        p.setActive(true);
        client.update().resource(p).execute();
        client.delete().resourceById(id.toUnqualifiedVersionless()).execute();

        LogEntry v1 = log.findByVersion("Patient", id.getIdPart(), 1).orElseThrow();
        LogEntry v2 = log.findByVersion("Patient", id.getIdPart(), 2).orElseThrow();
        LogEntry v3 = log.findByVersion("Patient", id.getIdPart(), 3).orElseThrow();
        assertThat(v1.leaf().operation()).isEqualTo(Operation.CREATE);
        assertThat(v2.leaf().operation()).isEqualTo(Operation.UPDATE);
        assertThat(v3.leaf().operation()).isEqualTo(Operation.DELETE);
        assertThat(v1.leaf().contentHash()).isEqualTo(servedHash("/Patient/" + id.getIdPart() + "/_history/1"));
        assertThat(v2.leaf().contentHash()).isEqualTo(servedHash("/Patient/" + id.getIdPart() + "/_history/2"));
        assertThat(v3.leaf().contentHash()).isEqualTo(ContentHash.deleted());
        assertThat(get("/Patient/" + id.getIdPart() + "/_history/3").statusCode())
                .isEqualTo(410);
        assertThat(v1.leaf().salt()).isNotEqualTo(v2.leaf().salt());
    }

    @Test
    void clientSentLastUpdated_isHashedAsServed() {
        String body = "{\"resourceType\":\"Patient\",\"meta\":{\"lastUpdated\":\"2001-02-03T04:05:06Z\"},"
                + "\"identifier\":[{\"system\":\"" + system + "\",\"value\":\"lu\"}]}";
        HttpResponse<String> created =
                http("POST", "/Patient", "application/fhir+json", body.getBytes(StandardCharsets.UTF_8));
        assertThat(created.statusCode()).isEqualTo(201);
        String id = created.headers().firstValue("Location").orElseThrow().replaceAll(".*/Patient/([^/]+)/.*", "$1");
        assertThat(log.findByVersion("Patient", id, 1).orElseThrow().leaf().contentHash())
                .isEqualTo(servedHash("/Patient/" + id + "/_history/1"));
    }

    @Test
    void transactionRolledBack_leavesNoLogEntry() {
        // The refused request itself is audited (an AuditEvent, logged like every version): count the rest.
        long before = clinicalEntries();
        String tx = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"fullUrl\":\"urn:uuid:" + UUID.randomUUID() + "\",\"resource\":{\"resourceType\":\"Patient\"},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
                + "{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                + "\"subject\":{\"reference\":\"Patient/missing-" + UUID.randomUUID() + "\"}},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}";
        assertThat(http("POST", "", "application/fhir+json", tx.getBytes(StandardCharsets.UTF_8))
                        .statusCode())
                .isEqualTo(400);
        assertThat(clinicalEntries()).isEqualTo(before);
    }

    private long clinicalEntries() {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM anchor_log_entry WHERE resource_type <> 'AuditEvent'", Long.class);
    }

    @Test
    void versionsAreSequencedAnchoredAndVerifiable() throws Exception {
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (int i = 0; i < 25; i++) {
            tx.addEntry()
                    .setResource(ClinicalFixtures.patient(system, "seq-" + i, "Seq", "1980-01-01"))
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Patient");
        }
        Bundle response = client.transaction().withBundle(tx).execute();
        String ref = response.getEntry().get(7).getResponse().getLocation(); // Patient/<id>/_history/1

        await("anchored")
                .atMost(Duration.ofSeconds(60))
                .until(() -> "anchored"
                        .equals(verify(ref).getParameter("status").getValue().primitiveValue()));

        // Leaf indexes are consecutive: 0..n-1 without gaps or duplicates.
        // One statement, one snapshot: the sequencer keeps running (every request writes an AuditEvent).
        long[] countAndMax =
                jdbc.queryForObject("SELECT COUNT(leaf_index), MAX(leaf_index) FROM anchor_log_entry", (rs, row) ->
                        new long[] {rs.getLong(1), rs.getLong(2)});
        assertThat(countAndMax[1]).isEqualTo(countAndMax[0] - 1);

        Parameters result = verify(ref);
        AnchorProof proof = ProofJson.read(
                result.getParameter("proof").getValue() instanceof org.hl7.fhir.r4.model.Attachment a
                        ? a.getData()
                        : null);
        byte[] resourceBytes = get("/" + ref).body().getBytes(StandardCharsets.UTF_8);
        try (LedgerReader reader = Web3jLedger.readOnly(
                LedgerSettings.forUrl(chain.rpcUrl()), proof.anchor().contract())) {
            VerificationResult verified = ProofVerifier.verify(
                    resourceBytes, proof, size -> reader.checkpointBySize(size).map(OnChainCheckpoint::root));
            assertThat(verified.verified()).as(verified.toString()).isTrue();
            // The same proof does not verify other bytes.
            byte[] altered = new String(resourceBytes, StandardCharsets.UTF_8)
                    .replace("Seq", "Sez")
                    .getBytes(StandardCharsets.UTF_8);
            assertThat(ProofVerifier.verify(
                                    altered,
                                    proof,
                                    size -> reader.checkpointBySize(size).map(OnChainCheckpoint::root))
                            .verified())
                    .isFalse();
        }
        assertThat(((IntegerType) result.getParameter("confirmations").getValue()).getValue())
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void offlineVerifierCli_verifiesAgainstTheChain_andWalksTheHistory() throws Exception {
        // Committed before the patient, so any checkpoint covering the patient covers it too.
        client.create()
                .resource(ClinicalFixtures.organization("Walked " + system))
                .execute();
        IIdType id = client.create()
                .resource(ClinicalFixtures.patient(system, "cli", "Offline", "1955-05-05"))
                .execute()
                .getId();
        String ref = "Patient/" + id.getIdPart() + "/_history/1";
        await("anchored")
                .atMost(Duration.ofSeconds(60))
                .until(() -> "anchored"
                        .equals(verify(ref).getParameter("status").getValue().primitiveValue()));
        String contract = verify(ref).getParameter("contract").getValue().primitiveValue();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = org.fhiranchor.anchor.verifier.VerifierCli.run(
                new String[] {
                    "verify", "--rpc", chain.rpcUrl(), "--contract", contract, "--fhir-base", baseUrl(), "--ref", ref
                },
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()),
                java.util.Map.of("FHIR_ANCHOR_TOKEN", token));
        assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();

        // A whole type's history (a type no other test tampers with): nothing fails.
        ByteArrayOutputStream walked = new ByteArrayOutputStream();
        int walkExit = org.fhiranchor.anchor.verifier.VerifierCli.run(
                new String[] {
                    "walk",
                    "--rpc",
                    chain.rpcUrl(),
                    "--contract",
                    contract,
                    "--fhir-base",
                    baseUrl(),
                    "--type",
                    "Organization"
                },
                new PrintStream(walked, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()),
                java.util.Map.of("FHIR_ANCHOR_TOKEN", token));
        assertThat(walkExit).as(walked.toString(StandardCharsets.UTF_8)).isZero();
    }

    @Test
    void consistencyBetweenAnchoredCheckpoints_verifies() throws Exception {
        client.create()
                .resource(ClinicalFixtures.patient(system, "c-1", "Cons", "1990-01-01"))
                .execute();
        await("a first checkpoint")
                .atMost(Duration.ofSeconds(60))
                .until(() -> checkpointSizes().size() >= 1);
        long first = checkpointSizes().get(checkpointSizes().size() - 1);
        client.create()
                .resource(ClinicalFixtures.patient(system, "c-2", "Cons", "1990-01-02"))
                .execute();
        await("a later checkpoint")
                .atMost(Duration.ofSeconds(60))
                .until(() -> checkpointSizes().get(checkpointSizes().size() - 1) > first);
        long second = checkpointSizes().get(checkpointSizes().size() - 1);

        Parameters proof = client.operation()
                .onServer()
                .named("$consistency")
                .withParameter(Parameters.class, "from", new IntegerType((int) first))
                .andParameter("to", new IntegerType((int) second))
                .useHttpGet()
                .execute();
        List<byte[]> path = proof.getParameter("consistencyPath").getPart().stream()
                .map(p -> HexFormat.of().parseHex(p.getValue().primitiveValue()))
                .toList();
        byte[] oldRoot = HexFormat.of()
                .parseHex(proof.getParameter("fromRootHash").getValue().primitiveValue());
        byte[] newRoot = HexFormat.of()
                .parseHex(proof.getParameter("toRootHash").getValue().primitiveValue());
        assertThat(MerkleVerifier.verifyConsistency(first, second, oldRoot, newRoot, path)
                        .passed())
                .isTrue();
        try (LedgerReader reader = Web3jLedger.readOnly(
                LedgerSettings.forUrl(chain.rpcUrl()),
                proof.getParameter("toCheckpoint").getPart().stream()
                        .filter(p -> p.getName().equals("contract"))
                        .findFirst()
                        .orElseThrow()
                        .getValue()
                        .primitiveValue())) {
            assertThat(reader.checkpointBySize(first).orElseThrow().root()).isEqualTo(oldRoot);
            assertThat(reader.checkpointBySize(second).orElseThrow().root()).isEqualTo(newRoot);
        }
    }

    @Test
    void directSqlTampering_isReportedAsTampered() {
        IIdType id = client.create()
                .resource(ClinicalFixtures.patient(system, "tamper", "Honest", "1960-06-06"))
                .execute()
                .getId();
        String ref = "Patient/" + id.getIdPart() + "/_history/1";
        assertThat(verify(ref).getParameter("status").getValue().primitiveValue())
                .isIn("pending", "anchored");
        int changed = jdbc.update(
                "UPDATE HFJ_RES_VER SET RES_TEXT_VC = REPLACE(RES_TEXT_VC, 'Honest', 'Forged') "
                        + "WHERE RES_ID = (SELECT RES_ID FROM HFJ_RESOURCE WHERE FHIR_ID = ?) AND RES_VER = 1",
                id.getIdPart());
        assertThat(changed).isEqualTo(1);
        Parameters result = verify(ref);
        assertThat(result.getParameter("status").getValue().primitiveValue()).isEqualTo("tampered");
        assertThat(result.getParameter("currentContentHash").getValue().primitiveValue())
                .isNotEqualTo(result.getParameter("contentHash").getValue().primitiveValue());

        // The sweep re-hashes every stored version (also those of the other tests in this server)
        // and reports exactly the tampered one.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = new SweepCommand(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(new ByteArrayOutputStream()))
                .run(List.of("--fhir-base", baseUrl(), "--page", "200", "--token", token));
        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(report).isEqualTo(1);
        assertThat(report.lines().filter(line -> line.startsWith("MISMATCH") || line.startsWith("UNLOGGED")))
                .as(report)
                .containsExactly(report.lines()
                        .filter(line -> line.startsWith("MISMATCH " + ref))
                        .findFirst()
                        .orElse("none"));
    }

    private Parameters verify(String versionRef) {
        HttpResponse<String> response = get("/" + versionRef + "/$verify");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return CLIENT_CONTEXT.newJsonParser().parseResource(Parameters.class, response.body());
    }

    private List<Long> checkpointSizes() {
        return jdbc.queryForList(
                "SELECT tree_size FROM anchor_checkpoint WHERE status = 'ANCHORED' ORDER BY tree_size", Long.class);
    }

    private byte[] servedHash(String path) {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).isEqualTo(200);
        return ContentHash.of(response.body().getBytes(StandardCharsets.UTF_8));
    }
}
