package org.fhiranchor.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.fhiranchor.anchor.chain.ChainCheckpointSource;
import org.fhiranchor.anchor.proof.BatchRecord;
import org.fhiranchor.anchor.proof.BatchedProof;
import org.fhiranchor.anchor.proof.BatchedProofJson;
import org.fhiranchor.anchor.proof.BatchedProofVerifier;
import org.fhiranchor.anchor.proof.VerificationResult;
import org.fhiranchor.server.anchoring.ChainConnection;
import org.fhiranchor.server.log.LogRepository;
import org.fhiranchor.server.security.Role;
import org.fhiranchor.server.support.BulkDataClient;
import org.fhiranchor.server.support.ClinicalFixtures;
import org.fhiranchor.server.support.FhirRestTest;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The audit trail in batches (docs/verification.md 4.2): every access is an AuditEvent that readers of the
 * trail see at once, but the log gains one leaf per batch, not one per access; each AuditEvent is proven
 * through its batch record, and a changed AuditEvent fails. Here with the trail kept as HAPI resources
 * ({@code fhir-anchor.audit.store=hapi}); {@link AuditStoreTest} runs the same tests on the audit store, the default.
 */
@TestPropertySource(properties = {AuditBatchesTest.HAPI_CONTEXT, AuditBatchesTest.HAPI_STORE})
public class AuditBatchesTest extends FhirRestTest {

    /** The trail kept as HAPI resources, as servers kept it before the audit store (AuditStoreTest: the store). */
    public static final String HAPI_STORE = "fhir-anchor.audit.store=hapi";

    /** That server's own data directory and dev chain (the default test server runs beside it). */
    public static final String HAPI_CONTEXT = "fhir-anchor.test.context-name=audit-hapi";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    ChainConnection chain;

    @Autowired
    LogRepository log;

    @Autowired
    javax.sql.DataSource dataSource;

    private final String system = "urn:fhir-anchor:test:audit-batches:" + UUID.randomUUID();

    @Test
    void manyReads_areAllAudited_butAddOnlyBatchRecordsToTheLog() throws Exception {
        String patient = client.create()
                .resource(ClinicalFixtures.patient(system, "b1", "Batchread", "1980-01-01"))
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        String auditor = token(Role.AUDITOR);
        int eventsBefore = count("AuditEvent?_summary=count");
        long leavesBefore = log.entryCount();

        int reads = 40;
        for (int i = 0; i < reads; i++) {
            assertThat(http("GET", "/" + patient, null, null).statusCode()).isEqualTo(200);
        }

        // Every read is an AuditEvent the trail shows at once (the search materializes what is waiting).
        HttpResponse<String> search =
                http("GET", "/AuditEvent?entity-name=" + patient + "&_count=100", null, null, auditor);
        assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
        Bundle events = CLIENT_CONTEXT.newJsonParser().parseResource(Bundle.class, search.body());
        assertThat(events.getEntry()).hasSizeGreaterThanOrEqualTo(reads);
        assertThat(count("AuditEvent?_summary=count") - eventsBefore).isGreaterThanOrEqualTo(reads);

        // ...while the log grew by batch records only (a handful, sealed every second), not by a leaf per read.
        long leavesAdded = log.entryCount() - leavesBefore;
        assertThat(leavesAdded).isLessThanOrEqualTo(reads / 8);
    }

    @Test
    void anAuditEvent_isProvenThroughItsBatchRecord_andVerifiesAgainstTheChain() throws Exception {
        String patient = client.create()
                .resource(ClinicalFixtures.patient(system, "b2", "Batchproof", "1981-02-02"))
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        assertThat(http("GET", "/" + patient, null, null).statusCode()).isEqualTo(200);
        String auditor = token(Role.AUDITOR);
        HttpResponse<String> search =
                http("GET", "/AuditEvent?entity-name=" + patient + "&subtype=read&_count=1", null, null, auditor);
        Bundle found = CLIENT_CONTEXT.newJsonParser().parseResource(Bundle.class, search.body());
        assertThat(found.getEntry()).isNotEmpty();
        String event = "AuditEvent/"
                + found.getEntry().get(0).getResource().getIdElement().getIdPart() + "/_history/1";

        await(event + " anchored through its batch")
                .atMost(Duration.ofSeconds(60))
                .until(() -> http("GET", "/" + event + "/$verify", null, null, auditor)
                        .body()
                        .contains("\"anchored\""));
        JsonNode answer = JSON.readTree(
                http("GET", "/" + event + "/$verify", null, null, auditor).body());
        assertThat(param(answer, "resource").path("valueString").asText()).isEqualTo(event);
        assertThat(param(answer, "batch").path("valueString").asText()).startsWith("Basic/");
        assertThat(param(answer, "leafIndex").isMissingNode())
                .as("a batch member is not a leaf")
                .isTrue();
        byte[] proofBytes = Base64.getDecoder()
                .decode(param(answer, "proof")
                        .path("valueAttachment")
                        .path("data")
                        .asText());
        BatchedProof proof = BatchedProofJson.read(proofBytes);
        assertThat(proof.batchSize())
                .isEqualTo(param(answer, "batchSize").path("valueInteger").asLong());
        assertThat(BatchRecord.read(proof.batchRecord()).size()).isEqualTo(proof.batchSize());

        // The auditor's own check: the AuditEvent as served, the root read from the contract.
        HttpResponse<String> served = http("GET", "/" + event + "?_format=json", null, null, auditor);
        assertThat(served.statusCode()).isEqualTo(200);
        ChainCheckpointSource onChain = new ChainCheckpointSource(chain.ledger());
        VerificationResult verified =
                BatchedProofVerifier.verify(served.body().getBytes(StandardCharsets.UTF_8), proofBytes, onChain);
        assertThat(verified.verified()).as(verified.detail()).isTrue();

        // The offline verifier, with one auditor token, checks it end to end against the contract it was given.
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int exit = org.fhiranchor.anchor.verifier.VerifierCli.run(
                new String[] {
                    "verify",
                    "--rpc",
                    chain.rpcUrl(),
                    "--contract",
                    chain.ledger().contractAddress(),
                    "--fhir-base",
                    baseUrl(),
                    "--ref",
                    event
                },
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
                java.util.Map.of("FHIR_ANCHOR_TOKEN", auditor));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        assertThat(printed).contains("VERIFIED create of " + event).contains("batch member");

        // The batch record is an ordinary version of the log, with its own proof.
        String record = param(answer, "batch").path("valueString").asText();
        assertThat(http("GET", "/" + record + "/$verify", null, null, auditor).body())
                .contains("\"anchored\"");

        // An AuditEvent changed by one value does not verify.
        String changed = served.body().replace("\"HTTP 200\"", "\"HTTP 404\"");
        assertThat(changed).isNotEqualTo(served.body());
        VerificationResult refused =
                BatchedProofVerifier.verify(changed.getBytes(StandardCharsets.UTF_8), proofBytes, onChain);
        assertThat(refused.status()).isEqualTo(VerificationResult.Status.CONTENT_HASH_MISMATCH);
    }

    @Test
    void aChangedAuditEventRow_isReportedTampered_byVerifyAndByTheMemberSweep() throws Exception {
        String patient = client.create()
                .resource(ClinicalFixtures.patient(system, "b3", "Batchtamper", "1982-03-03"))
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        assertThat(http("GET", "/" + patient + "?_elements=id", null, null).statusCode())
                .isEqualTo(200);
        String auditor = token(Role.AUDITOR);
        String id = readEventId(patient, auditor);
        String event = "AuditEvent/" + id + "/_history/1";
        assertThat(http("GET", "/" + event + "/$verify", null, null, auditor).body())
                .doesNotContain("\"tampered\"");

        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        String changeRow = changeStoredEvent();
        assertThat(jdbc.update(changeRow, "HTTP 200", "HTTP 404", id)).isEqualTo(1);
        try {
            assertThat(http("GET", "/" + event + "/$verify", null, null, auditor)
                            .body())
                    .contains("\"tampered\"");

            // The sweep over batch members names it (and only changed members), page after page.
            String cursor = "0";
            java.util.List<String> mismatched = new java.util.ArrayList<>();
            while (cursor != null) {
                JsonNode page = JSON.readTree(
                        http("GET", "/$audit-sweep?members=true&_count=50&cursor=" + cursor, null, null, auditor)
                                .body());
                for (JsonNode p : page.path("parameter")) {
                    if (p.path("name").asText().equals("mismatch")) {
                        mismatched.add(p.path("part").get(0).path("valueString").asText());
                    }
                }
                JsonNode next = param(page, "next");
                cursor = next.isMissingNode() ? null : next.path("valueInteger").asText();
            }
            assertThat(mismatched).contains(event);
        } finally {
            // This server is shared with other tests: the archiver refuses to archive a changed version, so put it
            // back.
            jdbc.update(changeRow, "HTTP 404", "HTTP 200", id);
        }
        assertThat(http("GET", "/" + event + "/$verify", null, null, auditor).body())
                .doesNotContain("\"tampered\"");
    }

    @Test
    void anAuditorsBulkExport_holdsTheAuditEvents_exactlyAsServed() throws Exception {
        String patient = client.create()
                .resource(ClinicalFixtures.patient(system, "b4", "Batchexport", "1983-04-04"))
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        assertThat(http("GET", "/" + patient, null, null).statusCode()).isEqualTo(200);
        String auditor = token(Role.AUDITOR);
        String id = readEventId(patient, auditor);
        JsonNode served = JSON.readTree(http("GET", "/AuditEvent/" + id + "?_format=json", null, null, auditor)
                .body());

        // The Bulk Data IG's system-level export of the trail, by the role whose scope covers it.
        BulkDataClient bulk = new BulkDataClient(baseUrl(), auditor);
        JsonNode manifest = bulk.export("/$export?_type=AuditEvent");
        java.util.List<JsonNode> exported = bulk.resources(manifest);
        assertThat(exported)
                .allSatisfy(resource ->
                        assertThat(resource.path("resourceType").asText()).isEqualTo("AuditEvent"));
        assertThat(exported.stream()
                        .filter(resource -> id.equals(resource.path("id").asText())))
                .as("the AuditEvent of the read, as GET serves it")
                .containsExactly(served);
        // The file is the auditor's alone.
        String file = manifest.path("output").get(0).path("url").asText();
        assertThat(new BulkDataClient(baseUrl(), token(Role.EHR))
                        .downloadRaw(file)
                        .statusCode())
                .isEqualTo(403);
    }

    /** The id of an AuditEvent of a read of {@code patient}, found as an auditor finds it. */
    private String readEventId(String patient, String auditor) {
        HttpResponse<String> search =
                http("GET", "/AuditEvent?entity-name=" + patient + "&subtype=read&_count=1", null, null, auditor);
        assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
        Bundle found = CLIENT_CONTEXT.newJsonParser().parseResource(Bundle.class, search.body());
        assertThat(found.getEntry())
                .as("the read of " + patient + " in the trail")
                .isNotEmpty();
        return found.getEntry().get(0).getResource().getIdElement().getIdPart();
    }

    /** An UPDATE of the stored AuditEvent's JSON behind the server's back: replace ?1 by ?2 in event ?3. */
    String changeStoredEvent() {
        return "UPDATE HFJ_RES_VER SET RES_TEXT_VC = REPLACE(RES_TEXT_VC, ?, ?) "
                + "WHERE RES_ID = (SELECT RES_ID FROM HFJ_RESOURCE WHERE FHIR_ID = ?) AND RES_VER = 1";
    }

    static JsonNode param(JsonNode parameters, String name) {
        for (JsonNode p : parameters.path("parameter")) {
            if (name.equals(p.path("name").asText())) {
                return p;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
