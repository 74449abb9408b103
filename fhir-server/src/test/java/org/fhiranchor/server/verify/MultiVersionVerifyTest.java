package org.fhiranchor.server.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fhiranchor.anchor.chain.ChainCheckpointSource;
import org.fhiranchor.anchor.log.ResourceRef;
import org.fhiranchor.anchor.proof.MultiProof;
import org.fhiranchor.anchor.proof.MultiProofVerifier;
import org.fhiranchor.anchor.verifier.VerifierCli;
import org.fhiranchor.anchor.verifier.VerifyManyAnswer;
import org.fhiranchor.server.anchoring.ChainConnection;
import org.fhiranchor.server.security.Role;
import org.fhiranchor.server.security.TokenIssuer;
import org.fhiranchor.server.support.ClinicalFixtures;
import org.fhiranchor.server.support.FhirRestTest;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Practitioner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code $verify} for many versions at once (docs/verification.md section 4.1): a reader sends back what it
 * just read (a {@code $everything} Bundle, or references) and gets one multi-version proof that its own
 * verifier checks against the chain; each version is decided like a read; bad input is a 400.
 */
class MultiVersionVerifyTest extends FhirRestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    ChainConnection chain;

    private final String system = "urn:fhir-anchor:test:multi-verify:" + UUID.randomUUID();

    private String patient;
    private String otherPatient;
    private String doctor;
    private final List<String> observations = new ArrayList<>();
    private String othersObservation;
    private String tombstone;

    @BeforeEach
    void seed() throws Exception {
        patient = create(ClinicalFixtures.patient(system, "p1", "Manyversions", "1970-05-05"));
        otherPatient = create(ClinicalFixtures.patient(system, "p2", "Notmine", "1971-06-06"));
        doctor = create(new Practitioner().setActive(true));
        for (int i = 0; i < 4; i++) {
            observations.add(create(ClinicalFixtures.observation(
                    patient, "2345-7", "laboratory", "2024-04-0" + (i + 1) + "T08:00:00Z", Integer.toString(90 + i))));
        }
        Observation corrected = client.read()
                .resource(Observation.class)
                .withId(observations.get(0))
                .execute();
        corrected.setStatus(Observation.ObservationStatus.AMENDED);
        client.update().resource(corrected).execute();
        String doomed =
                create(ClinicalFixtures.observation(patient, "8867-4", "vital-signs", "2024-04-09T08:00:00Z", "70"));
        assertThat(http("DELETE", "/" + doomed, null, null, token).statusCode()).isBetween(200, 204);
        tombstone = doomed + "/_history/2";
        othersObservation = create(
                ClinicalFixtures.observation(otherPatient, "2345-7", "laboratory", "2024-04-01T09:00:00Z", "101"));
        awaitAnchored(othersObservation + "/_history/1"); // written last: everything before is anchored too
    }

    @Test
    void aClinicianProvesItsEverythingAnswer_inOneCall_againstOneAnchoredRoot() throws Exception {
        String drToken = clinician(doctor);
        HttpResponse<String> everything = http("GET", "/" + patient + "/$everything?_count=100", null, null, drToken);
        assertThat(everything.statusCode()).as(everything.body()).isEqualTo(200);
        JsonNode bundle = JSON.readTree(everything.body());
        assertThat(bundle.path("entry").size()).isEqualTo(5); // the patient and its four Observations, current versions

        ObjectNode parameters = JSON.createObjectNode().put("resourceType", "Parameters");
        parameters.putArray("parameter").addObject().put("name", "bundle").set("resource", bundle);
        HttpResponse<String> answer =
                http("POST", "/$verify", "application/fhir+json", JSON.writeValueAsBytes(parameters), drToken);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);

        VerifyManyAnswer parsed = VerifyManyAnswer.parse(answer.body().getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.statusByVersion())
                .hasSize(5)
                .containsValue("anchored")
                .doesNotContainValue("pending");
        assertThat(parsed.statusByVersion()).containsKey(observations.get(0) + "/_history/2");
        MultiProof proof = parsed.proof().orElseThrow();
        assertThat(proof.versions()).hasSize(5);

        // The reader's own check: each version exactly as served to it, one anchored root read from the contract.
        Map<ResourceRef, byte[]> served = new HashMap<>();
        for (MultiProof.Version version : proof.versions()) {
            HttpResponse<String> read =
                    http("GET", "/" + version.leaf().resource() + "?_format=json", null, null, drToken);
            assertThat(read.statusCode()).isEqualTo(200);
            served.put(version.leaf().resource(), read.body().getBytes(StandardCharsets.UTF_8));
        }
        ChainCheckpointSource onChain = new ChainCheckpointSource(chain.ledger());
        MultiProofVerifier.Result result = MultiProofVerifier.verify(proof, served::get, onChain);
        assertThat(result.verified()).as(result.overall().detail()).isTrue();

        // One changed byte in one version is named, and only that version fails.
        ResourceRef changed = proof.versions().get(2).leaf().resource();
        served.put(
                changed,
                new String(served.get(changed), StandardCharsets.UTF_8)
                        .replace("\"final\"", "\"amended\"")
                        .getBytes(StandardCharsets.UTF_8));
        MultiProofVerifier.Result tampered = MultiProofVerifier.verify(proof, served::get, onChain);
        assertThat(tampered.verified()).isFalse();
        assertThat(tampered.versions())
                .filteredOn(v -> !v.result().verified())
                .extracting(MultiProofVerifier.VersionResult::resource)
                .containsExactly(changed);

        // The proof is an access like a read: the patient sees the doctor's $verify in their access log.
        assertThat(accessLog()).anySatisfy(event -> {
            assertThat(event.getSubtype())
                    .anySatisfy(c -> assertThat(c.getCode()).isEqualTo("$verify"));
            assertThat(event.getAgent())
                    .anySatisfy(agent -> assertThat(agent.getName()).isEqualTo(doctor));
        });
    }

    @Test
    void theVerifierCli_provesOldVersions_aDelete_andCurrentOnes_withOnePatientToken() {
        String refs = String.join(
                ",",
                observations.get(0) + "/_history/1",
                observations.get(0),
                tombstone,
                observations.get(3) + "/_history/1",
                patient);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = VerifierCli.run(
                new String[] {
                    "verify",
                    "--rpc",
                    chain.rpcUrl(),
                    "--contract",
                    chain.ledger().contractAddress(),
                    "--fhir-base",
                    baseUrl(),
                    "--refs",
                    refs
                },
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()),
                Map.of("FHIR_ANCHOR_TOKEN", patientToken(patient)));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        assertThat(printed)
                .contains("VERIFIED " + observations.get(0) + "/_history/1")
                .contains("VERIFIED " + observations.get(0) + "/_history/2")
                .contains("VERIFIED " + tombstone)
                .contains("verified 5, failed 0");

        // One version the patient may not read refuses the whole call: nothing about any version is given.
        HttpResponse<String> refused = http(
                "POST",
                "/$verify",
                "application/fhir+json",
                parameters(observations.get(1), othersObservation + "/_history/1"),
                patientToken(patient));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body())
                .contains("OperationOutcome")
                .doesNotContain("salt")
                .doesNotContain("contentHash");
        ByteArrayOutputStream refusedOut = new ByteArrayOutputStream();
        int refusedExit = VerifierCli.run(
                new String[] {
                    "verify",
                    "--rpc",
                    chain.rpcUrl(),
                    "--contract",
                    chain.ledger().contractAddress(),
                    "--fhir-base",
                    baseUrl(),
                    "--refs",
                    othersObservation
                },
                new PrintStream(refusedOut, true, StandardCharsets.UTF_8),
                new PrintStream(refusedOut),
                Map.of("FHIR_ANCHOR_TOKEN", patientToken(patient)));
        assertThat(refusedExit).as(refusedOut.toString(StandardCharsets.UTF_8)).isEqualTo(1);
        assertThat(refusedOut.toString(StandardCharsets.UTF_8))
                .contains("FHIR_ERROR")
                .contains("403");
    }

    @Test
    void badRequestsAreRefusedWith400_andUnknownVersionsWith404() throws Exception {
        String drToken = clinician(doctor);
        for (byte[] body : List.of(
                "{\"resourceType\":\"Parameters\"}".getBytes(StandardCharsets.UTF_8),
                parameters("not a reference"),
                parameters("NoSuchType/1"),
                parameters(observations.get(1) + "/_history/zero"),
                parameters(manyRefs(VerifyManyOperationProvider.MAX_VERSIONS + 1)))) {
            HttpResponse<String> answer = http("POST", "/$verify", "application/fhir+json", body, drToken);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
            assertThat(answer.body()).contains("OperationOutcome");
        }
        HttpResponse<String> unknown = http(
                "POST", "/$verify", "application/fhir+json", parameters(observations.get(1) + "/_history/9"), drToken);
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
        // GET works too, for a few references.
        HttpResponse<String> get =
                http("GET", "/$verify?resource=" + observations.get(1) + "&resource=" + patient, null, null, drToken);
        assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
        assertThat(VerifyManyAnswer.parse(get.body().getBytes(StandardCharsets.UTF_8))
                        .proof()
                        .orElseThrow()
                        .versions())
                .hasSize(2);
        // No read scope, no proofs.
        assertThat(http(
                                "POST",
                                "/$verify",
                                "application/fhir+json",
                                parameters(observations.get(1)),
                                token(Role.RESEARCHER))
                        .statusCode())
                .isEqualTo(403);
    }

    private String[] manyRefs(int n) {
        String[] refs = new String[n];
        for (int i = 0; i < n; i++) {
            refs[i] = "Observation/x" + i;
        }
        return refs;
    }

    private static byte[] parameters(String... refs) {
        ObjectNode parameters = JSON.createObjectNode().put("resourceType", "Parameters");
        ArrayNode list = parameters.putArray("parameter");
        for (String ref : refs) {
            list.addObject().put("name", "resource").put("valueString", ref);
        }
        try {
            return JSON.writeValueAsBytes(parameters);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitAnchored(String version) throws Exception {
        await(version + " anchored")
                .atMost(Duration.ofSeconds(60))
                .until(() -> get("/" + version + "/$verify").body().contains("\"anchored\""));
    }

    private List<AuditEvent> accessLog() {
        HttpResponse<String> response = http(
                "GET", "/AuditEvent?patient=" + patient + "&_count=200&_sort=-date", null, null, patientToken(patient));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return CLIENT_CONTEXT.newJsonParser().parseResource(Bundle.class, response.body()).getEntry().stream()
                .map(e -> (AuditEvent) e.getResource())
                .toList();
    }

    private String create(org.hl7.fhir.instance.model.api.IBaseResource resource) {
        return client.create()
                .resource(resource)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
    }

    private String patientToken(String patientRef) {
        return issuer.mint(new TokenIssuer.TokenRequest(
                Role.PATIENT, "patient-" + idPart(patientRef), Duration.ofMinutes(10), idPart(patientRef), null));
    }

    private String clinician(String practitioner) {
        return issuer.mint(new TokenIssuer.TokenRequest(
                Role.CLINICIAN, "dr-" + idPart(practitioner), Duration.ofMinutes(10), null, null, practitioner, null));
    }

    private static String idPart(String reference) {
        return reference.substring(reference.indexOf('/') + 1);
    }
}
