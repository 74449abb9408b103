package org.fhiranchor.server.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fhiranchor.anchor.verifier.VerifierCli;
import org.fhiranchor.server.anchoring.ChainConnection;
import org.fhiranchor.server.consent.PrivacyConsents;
import org.fhiranchor.server.security.Role;
import org.fhiranchor.server.security.TokenIssuer;
import org.fhiranchor.server.support.ClinicalFixtures;
import org.fhiranchor.server.support.FhirRestTest;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Practitioner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code $verify} for every reader (docs/security.md, "Proofs"): a token gets a version's proof exactly
 * when it may read that version (scopes, patient compartment, the patient's privacy consents with
 * break-glass); auditors keep proof-only access; one clinician token verifies end to end.
 */
class ReaderVerifyTest extends FhirRestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    ChainConnection chain;

    private final String system = "urn:fhir-anchor:test:reader-verify:" + UUID.randomUUID();

    private String patient;
    private String otherPatient;
    private String doctor;
    private String observation;
    private String othersObservation;

    @BeforeEach
    void seed() {
        patient = create(ClinicalFixtures.patient(system, "p1", "Verifiable", "1971-01-01"));
        otherPatient = create(ClinicalFixtures.patient(system, "p2", "Elsewhere", "1972-02-02"));
        doctor = create(new Practitioner().setActive(true));
        observation =
                create(ClinicalFixtures.observation(patient, "2345-7", "laboratory", "2024-03-01T08:00:00Z", "95"));
        othersObservation = create(
                ClinicalFixtures.observation(otherPatient, "2345-7", "laboratory", "2024-03-01T09:00:00Z", "101"));
    }

    @Test
    void clinicianAndPatient_verifyWhatTheyMayRead_andAreRefusedWhatTheyMayNot() throws Exception {
        String version = observation + "/_history/1";
        awaitAnchored(version);
        String drToken = clinician(doctor);
        String me = patientToken(patient);

        for (String reader : List.of(drToken, me, token(Role.EHR), token(Role.AUDITOR))) {
            HttpResponse<String> verify = http("GET", "/" + version + "/$verify", null, null, reader);
            assertThat(verify.statusCode()).as(verify.body()).isEqualTo(200);
            JsonNode answer = JSON.readTree(verify.body());
            assertThat(param(answer, "status").path("valueCode").asText()).isEqualTo("anchored");
            assertThat(param(answer, "resource").path("valueString").asText()).isEqualTo(version);
            assertThat(param(answer, "proof")
                            .path("valueAttachment")
                            .path("data")
                            .asText())
                    .isNotEmpty();
        }
        // The current version, without naming it, as a reader would right after a read.
        assertThat(http("GET", "/" + observation + "/$verify", null, null, me).statusCode())
                .isEqualTo(200);

        // A patient: their own compartment only; no audit trail; the auditor's proof-only access is not theirs.
        HttpResponse<String> others = http("GET", "/" + othersObservation + "/_history/1/$verify", null, null, me);
        assertThat(others.statusCode()).isEqualTo(403);
        assertThat(others.body())
                .contains("OperationOutcome")
                .doesNotContain("contentHash")
                .doesNotContain("salt");
        assertThat(http("GET", "/" + otherPatient + "/$verify", null, null, me).statusCode())
                .isEqualTo(403);
        String auditEvent = anyAuditEventId();
        assertThat(http("GET", "/AuditEvent/" + auditEvent + "/_history/1/$verify", null, null, me)
                        .statusCode())
                .isEqualTo(403);
        assertThat(http("GET", "/AuditEvent/" + auditEvent + "/_history/1/$verify", null, null, drToken)
                        .statusCode())
                .isEqualTo(403);
        assertThat(http("GET", "/AuditEvent/" + auditEvent + "/_history/1/$verify", null, null, token(Role.AUDITOR))
                        .statusCode())
                .isEqualTo(200);
        // No read scope at all: no proof.
        assertThat(http("GET", "/" + version + "/$verify", null, null, token(Role.RESEARCHER))
                        .statusCode())
                .isEqualTo(403);
        // The reader's proof is an access like a read: the patient sees it in their access log.
        assertThat(accessLog(me)).anySatisfy(event -> {
            assertThat(event.getEntity())
                    .anySatisfy(entity -> assertThat(entity.getName()).isEqualTo(observation));
            assertThat(event.getAgent())
                    .anySatisfy(agent -> assertThat(agent.getName()).isEqualTo(doctor));
        });
    }

    @Test
    void privacyConsentDecidesProofsLikeReads_andBreakGlassOverrides() throws Exception {
        String version = observation + "/_history/1";
        awaitAnchored(version);
        String drToken = clinician(doctor);
        HttpResponse<String> created = http(
                "POST",
                "/Consent",
                "application/fhir+json",
                CLIENT_CONTEXT
                        .newJsonParser()
                        .encodeResourceToString(
                                PrivacyConsents.privacy(patient, Consent.ConsentProvisionType.DENY, doctor))
                        .getBytes(StandardCharsets.UTF_8),
                patientToken(patient));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        assertThat(http("GET", "/" + version, null, null, drToken).statusCode()).isEqualTo(403);
        HttpResponse<String> refused = http("GET", "/" + version + "/$verify", null, null, drToken);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body())
                .contains("OperationOutcome")
                .contains("break-glass")
                .doesNotContain("salt");
        // The patient's own proof and another doctor's are unaffected.
        assertThat(http("GET", "/" + version + "/$verify", null, null, patientToken(patient))
                        .statusCode())
                .isEqualTo(200);
        assertThat(http(
                                "GET",
                                "/" + version + "/$verify",
                                null,
                                null,
                                clinician(create(new Practitioner().setActive(true))))
                        .statusCode())
                .isEqualTo(200);

        HttpResponse<String> emergency =
                http("GET", "/" + version + "/$verify", null, null, drToken, Map.of("X-Purpose-Of-Use", "BTG"));
        assertThat(emergency.statusCode()).as(emergency.body()).isEqualTo(200);
        assertThat(accessLog(patientToken(patient))).anySatisfy(event -> {
            assertThat(event.getEntity())
                    .anySatisfy(entity -> assertThat(entity.getName()).isEqualTo(observation));
            assertThat(event.getPurposeOfEvent())
                    .anySatisfy(p -> assertThat(p.getCodingFirstRep().getCode()).isEqualTo("BTG"));
        });
    }

    @Test
    void aDeletedVersion_isProvenToWhoeverCouldReadTheVersionBefore() throws Exception {
        String doomed =
                create(ClinicalFixtures.observation(patient, "8867-4", "vital-signs", "2024-03-02T08:00:00Z", "70"));
        assertThat(http("DELETE", "/" + doomed, null, null, token).statusCode()).isBetween(200, 204);
        String tombstone = doomed + "/_history/2";
        awaitAnchored(tombstone);

        HttpResponse<String> mine = http("GET", "/" + tombstone + "/$verify", null, null, patientToken(patient));
        assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
        assertThat(param(JSON.readTree(mine.body()), "operation")
                        .path("valueCode")
                        .asText())
                .isEqualTo("delete");
        assertThat(http("GET", "/" + tombstone + "/$verify", null, null, patientToken(otherPatient))
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void theOfflineVerifier_verifiesEndToEnd_withOneClinicianToken() throws Exception {
        String version = observation + "/_history/1";
        JsonNode anchored = awaitAnchored(version);
        String contract = param(anchored, "contract").path("valueString").asText();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = VerifierCli.run(
                new String[] {
                    "verify",
                    "--rpc",
                    chain.rpcUrl(),
                    "--contract",
                    contract,
                    "--fhir-base",
                    baseUrl(),
                    "--ref",
                    version
                },
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()),
                Map.of("FHIR_ANCHOR_TOKEN", clinician(doctor)));
        assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();

        ByteArrayOutputStream refusedOut = new ByteArrayOutputStream();
        int refused = VerifierCli.run(
                new String[] {
                    "verify",
                    "--rpc",
                    chain.rpcUrl(),
                    "--contract",
                    contract,
                    "--fhir-base",
                    baseUrl(),
                    "--ref",
                    othersObservation + "/_history/1"
                },
                new PrintStream(refusedOut, true, StandardCharsets.UTF_8),
                new PrintStream(refusedOut),
                Map.of("FHIR_ANCHOR_TOKEN", patientToken(patient)));
        assertThat(refused).as(refusedOut.toString(StandardCharsets.UTF_8)).isNotZero();
    }

    private JsonNode awaitAnchored(String version) throws Exception {
        await(version + " anchored")
                .atMost(Duration.ofSeconds(60))
                .until(() -> "anchored"
                        .equals(param(
                                        JSON.readTree(
                                                get("/" + version + "/$verify").body()),
                                        "status")
                                .path("valueCode")
                                .asText()));
        return JSON.readTree(get("/" + version + "/$verify").body());
    }

    private List<AuditEvent> accessLog(String patientBearer) {
        HttpResponse<String> response =
                http("GET", "/AuditEvent?patient=" + patient + "&_count=200&_sort=-date", null, null, patientBearer);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Bundle bundle = CLIENT_CONTEXT.newJsonParser().parseResource(Bundle.class, response.body());
        return bundle.getEntry().stream()
                .map(e -> (AuditEvent) e.getResource())
                .filter(e -> e.getSubtype().stream().anyMatch(c -> "$verify".equals(c.getCode())))
                .toList();
    }

    private String anyAuditEventId() {
        Bundle events = client.search()
                .byUrl("AuditEvent?_count=1")
                .returnBundle(Bundle.class)
                .execute();
        return events.getEntryFirstRep().getResource().getIdElement().getIdPart();
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

    private static JsonNode param(JsonNode parameters, String name) {
        for (JsonNode p : parameters.path("parameter")) {
            if (name.equals(p.path("name").asText())) {
                return p;
            }
        }
        return JSON.missingNode();
    }
}
