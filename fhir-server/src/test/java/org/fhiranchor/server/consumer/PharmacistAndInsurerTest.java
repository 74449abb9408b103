package org.fhiranchor.server.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fhiranchor.server.consent.PrivacyConsents;
import org.fhiranchor.server.log.LogRepository;
import org.fhiranchor.server.security.Role;
import org.fhiranchor.server.security.TokenIssuer;
import org.fhiranchor.server.support.ClinicalFixtures;
import org.fhiranchor.server.support.FhirRestTest;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.ClaimResponse;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The pharmacist and the insurer over real HTTP with real tokens (docs/security.md, "Pharmacist",
 * "Insurer"): what each may read, verify and write, and what each is refused.
 */
class PharmacistAndInsurerTest extends FhirRestTest {

    private static final String JSON = "application/fhir+json";

    @Autowired
    LogRepository log;

    private final String system = "urn:fhir-anchor:test:consumers:" + UUID.randomUUID();

    private String prescribed;
    private String unprescribed;
    private String prescriber;
    private String otherPractitioner;
    private String medication;
    private String prescription;
    private String observation;
    private String insurerA;
    private String insurerB;
    private String provider;
    private String claimA;
    private String claimB;

    @BeforeEach
    void seed() {
        prescribed = create(ClinicalFixtures.patient(system, "rx", "Prescribed", "1960-01-01"));
        unprescribed = create(ClinicalFixtures.patient(system, "no-rx", "Unprescribed", "1961-01-01"));
        prescriber = create(new Practitioner().setActive(true));
        otherPractitioner = create(new Practitioner().setActive(true));
        medication = create(new Medication()
                .setCode(new CodeableConcept(new Coding(
                        "http://www.nlm.nih.gov/research/umls/rxnorm",
                        "834061",
                        "Penicillin V Potassium 250 MG Oral Tablet"))));
        MedicationRequest request =
                ClinicalFixtures.medicationRequest(prescribed, MedicationRequest.MedicationRequestStatus.ACTIVE);
        request.setMedication(new Reference(medication));
        request.setRequester(new Reference(prescriber));
        prescription = create(request);
        observation =
                create(ClinicalFixtures.observation(prescribed, "2345-7", "laboratory", "2024-05-01T08:00:00Z", "90"));
        insurerA = create(ClinicalFixtures.organization("Insurer A"));
        insurerB = create(ClinicalFixtures.organization("Insurer B"));
        provider = create(ClinicalFixtures.organization("Provider clinic"));
        Claim a = ClinicalFixtures.claim(prescribed, provider);
        a.setInsurer(new Reference(insurerA));
        a.setPrescription(new Reference(prescription));
        claimA = create(a);
        Claim b = ClinicalFixtures.claim(unprescribed, provider);
        b.setInsurer(new Reference(insurerB));
        claimB = create(b);
    }

    @Test
    void pharmacist_readsAndVerifiesPrescriptions_andOnlyThePatientsAndPractitionersTheyReference() {
        String pharmacist = pharmacist(create(new Practitioner().setActive(true)));

        for (String readable : List.of(prescription, medication, prescribed, prescriber)) {
            assertThat(status("GET", "/" + readable, pharmacist)).as(readable).isEqualTo(200);
            assertThat(status("GET", "/" + readable + "/_history/1/$verify", pharmacist))
                    .as(readable + " $verify")
                    .isEqualTo(200);
        }
        for (String unrelated : List.of(unprescribed, otherPractitioner)) {
            HttpResponse<String> read = http("GET", "/" + unrelated, null, null, pharmacist);
            assertThat(read.statusCode()).as(unrelated).isEqualTo(403);
            assertThat(read.body()).contains("OperationOutcome").contains(PharmacyRelationFilter.REFUSAL);
            HttpResponse<String> verify = http("GET", "/" + unrelated + "/_history/1/$verify", null, null, pharmacist);
            assertThat(verify.statusCode()).as(unrelated + " $verify").isEqualTo(403);
            assertThat(verify.body()).contains(PharmacyRelationFilter.REFUSAL);
            assertThat(verify.body()).doesNotContain("contentHash").doesNotContain("salt");
        }
        // Types outside its scopes: refused by the scopes themselves.
        assertThat(status("GET", "/" + observation, pharmacist)).isEqualTo(403);
        assertThat(status("GET", "/" + observation + "/_history/1/$verify", pharmacist))
                .isEqualTo(403);
        assertThat(status("GET", "/" + claimA, pharmacist)).isEqualTo(403);

        // Searches and includes leave the unrelated out.
        assertThat(ids(search("/Patient?_id=" + idPart(prescribed) + "," + idPart(unprescribed), pharmacist)))
                .containsExactly(prescribed);
        assertThat(ids(search("/Practitioner?_id=" + idPart(prescriber) + "," + idPart(otherPractitioner), pharmacist)))
                .containsExactly(prescriber);
        assertThat(ids(search(
                        "/MedicationRequest?_id=" + idPart(prescription)
                                + "&_include=MedicationRequest:subject&_include=MedicationRequest:requester",
                        pharmacist)))
                .containsExactlyInAnyOrder(prescription, prescribed, prescriber);
    }

    @Test
    void pharmacist_recordsDispenses_andWritesNothingElse() {
        String pharmacist = pharmacist(create(new Practitioner().setActive(true)));
        MedicationDispense dispense = new MedicationDispense();
        dispense.setStatus(MedicationDispense.MedicationDispenseStatus.COMPLETED);
        dispense.setMedication(new Reference(medication));
        dispense.setSubject(new Reference(prescribed));
        dispense.addAuthorizingPrescription(new Reference(prescription));
        HttpResponse<String> created = http("POST", "/MedicationDispense", JSON, body(dispense), pharmacist);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String dispenseId = created.headers()
                .firstValue("Location")
                .orElseThrow()
                .replaceAll(".*/(MedicationDispense/[^/]+)/_history/.*", "$1");
        dispense.setId(dispenseId);
        dispense.setStatus(MedicationDispense.MedicationDispenseStatus.ENTEREDINERROR);
        assertThat(status("PUT", "/" + dispenseId, body(dispense), pharmacist)).isEqualTo(200);
        assertThat(status("GET", "/" + dispenseId + "/$verify", pharmacist)).isEqualTo(200);

        assertThat(status(
                        "POST",
                        "/Patient",
                        body(ClinicalFixtures.patient(system, "w", "Written", "1990-01-01")),
                        pharmacist))
                .isEqualTo(403);
        MedicationRequest changed =
                ClinicalFixtures.medicationRequest(prescribed, MedicationRequest.MedicationRequestStatus.STOPPED);
        changed.setId(prescription);
        assertThat(status("PUT", "/" + prescription, body(changed), pharmacist)).isEqualTo(403);
        assertThat(status(
                        "POST",
                        "/Observation",
                        body(ClinicalFixtures.observation(
                                prescribed, "2345-7", "laboratory", "2024-05-02T08:00:00Z", "91")),
                        pharmacist))
                .isEqualTo(403);
        assertThat(status("DELETE", "/" + dispenseId, pharmacist)).isEqualTo(403);
        assertThat(status("GET", "/$meta", pharmacist)).isEqualTo(403);
    }

    @Test
    void pharmacist_isBoundByPrivacyConsents_likeAClinician_withBreakGlass() {
        String me = create(new Practitioner().setActive(true));
        String pharmacist = pharmacist(me);
        String patient = create(ClinicalFixtures.patient(system, "private", "Private", "1970-01-01"));
        String request =
                create(ClinicalFixtures.medicationRequest(patient, MedicationRequest.MedicationRequestStatus.ACTIVE));
        assertThat(status("GET", "/" + request, pharmacist)).isEqualTo(200);
        create(PrivacyConsents.privacy(patient, Consent.ConsentProvisionType.DENY, me));

        HttpResponse<String> refused = http("GET", "/" + request, null, null, pharmacist);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("break-glass");
        assertThat(status("GET", "/" + request + "/_history/1/$verify", pharmacist))
                .isEqualTo(403);
        assertThat(status("GET", "/" + patient, pharmacist)).isEqualTo(403);
        assertThat(http("GET", "/" + request, null, null, pharmacist, Map.of("X-Purpose-Of-Use", "BTG"))
                        .statusCode())
                .isEqualTo(200);
        // A batch GET entry is decided like the read (the consent framework stays on for the Bundle).
        String batch = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":["
                + "{\"request\":{\"method\":\"GET\",\"url\":\"" + request + "\"}}]}";
        HttpResponse<String> batched = http("POST", "", JSON, batch.getBytes(StandardCharsets.UTF_8), pharmacist);
        assertRefusedInBatch(batched);
        assertThat(batched.body()).doesNotContain("Penicillin");
        // Another pharmacist, whom the consent does not name, still reads it.
        assertThat(status("GET", "/" + request, pharmacist(create(new Practitioner().setActive(true)))))
                .isEqualTo(200);
    }

    @Test
    void insurer_readsAndVerifiesItsOwnClaims_andWhatTheyReference_andNothingElse() {
        String insurer = insurer(insurerA);

        for (String readable : List.of(claimA, prescribed, provider, prescription, insurerA)) {
            assertThat(status("GET", "/" + readable, insurer)).as(readable).isEqualTo(200);
            assertThat(status("GET", "/" + readable + "/_history/1/$verify", insurer))
                    .as(readable + " $verify")
                    .isEqualTo(200);
        }
        for (String unrelated : List.of(claimB, unprescribed, insurerB, observation, prescriber, medication)) {
            HttpResponse<String> read = http("GET", "/" + unrelated, null, null, insurer);
            assertThat(read.statusCode()).as(unrelated).isEqualTo(403);
            assertThat(read.body()).contains("OperationOutcome").contains(InsurerRelationFilter.REFUSAL);
            HttpResponse<String> verify = http("GET", "/" + unrelated + "/_history/1/$verify", null, null, insurer);
            assertThat(verify.statusCode()).as(unrelated + " $verify").isEqualTo(403);
            assertThat(verify.body())
                    .doesNotContain("contentHash")
                    .doesNotContain("salt")
                    .contains(InsurerRelationFilter.REFUSAL);
        }
        assertThat(ids(search("/Claim?_id=" + idPart(claimA) + "," + idPart(claimB), insurer)))
                .containsExactly(claimA);
        assertThat(ids(search("/Patient?_id=" + idPart(prescribed) + "," + idPart(unprescribed), insurer)))
                .containsExactly(prescribed);
        assertThat(ids(search("/Observation?patient=" + prescribed, insurer))).isEmpty();
        // The other insurer: the mirror image.
        String other = insurer(insurerB);
        assertThat(status("GET", "/" + claimB, other)).isEqualTo(200);
        assertThat(status("GET", "/" + claimA, other)).isEqualTo(403);
        assertThat(status("GET", "/" + claimA + "/_history/1/$verify", other)).isEqualTo(403);
        // No operations, no care: no $everything, no break-glass.
        assertThat(status("GET", "/" + prescribed + "/$everything", insurer)).isEqualTo(403);
        assertThat(http("GET", "/" + claimA, null, null, insurer, Map.of("X-Purpose-Of-Use", "BTG"))
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void insurer_writesClaimResponsesToItsOwnClaimsOnly_andARefusedWriteStoresNothing() {
        String insurer = insurer(insurerA);
        HttpResponse<String> created =
                http("POST", "/ClaimResponse", JSON, body(response(claimA, insurerA, "own")), insurer);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String responseId = created.headers()
                .firstValue("Location")
                .orElseThrow()
                .replaceAll(".*/(ClaimResponse/[^/]+)/_history/.*", "$1");
        assertThat(status("GET", "/" + responseId, insurer)).isEqualTo(200);
        assertThat(status("GET", "/" + responseId + "/$verify", insurer)).isEqualTo(200);
        ClaimResponse update = response(claimA, insurerA, "own");
        update.setId(responseId);
        update.setDisposition("Paid in full");
        assertThat(status("PUT", "/" + responseId, body(update), insurer)).isEqualTo(200);
        // The other insurer neither sees it nor takes it over for a Claim of its own.
        assertThat(status("GET", "/" + responseId, insurer(insurerB))).isEqualTo(403);
        ClaimResponse takeover = response(claimB, insurerB, "own");
        takeover.setId(responseId);
        HttpResponse<String> takenOver = http("PUT", "/" + responseId, JSON, body(takeover), insurer(insurerB));
        assertThat(takenOver.statusCode()).isEqualTo(403);
        assertThat(takenOver.body()).contains(ClaimResponseGuard.REFUSAL);
        assertThat(http("GET", "/" + responseId, null, null, token).body()).contains("Paid in full");

        // Another insurer's Claim, or not as itself: 403 with an OperationOutcome, nothing stored or logged.
        String marker = UUID.randomUUID().toString();
        for (ClaimResponse refused : List.of(
                response(claimB, insurerA, marker),
                response(claimA, insurerB, marker),
                response(prescription, insurerA, marker))) {
            HttpResponse<String> answer = http("POST", "/ClaimResponse", JSON, body(refused), insurer);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
            assertThat(answer.body()).contains("OperationOutcome").contains(ClaimResponseGuard.REFUSAL);
        }
        String fixedId = "refused-" + marker.substring(0, 8);
        HttpResponse<String> put = http(
                "PUT",
                "/ClaimResponse/" + fixedId,
                JSON,
                body(response(claimB, insurerA, marker).setId(fixedId)),
                insurer);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(403);
        Bundle stored = client.search()
                .byUrl("ClaimResponse?identifier=" + system + "|" + marker)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(stored.getEntry()).isEmpty();
        assertThat(http("GET", "/ClaimResponse/" + fixedId, null, null, token).statusCode())
                .isEqualTo(404);
        assertThat(log.findByVersion("ClaimResponse", fixedId, 1)).isEmpty();
        // The same refusal inside a transaction: the whole Bundle is refused.
        String transaction = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"fullUrl\":\"urn:uuid:"
                + UUID.randomUUID() + "\",\"resource\":"
                + new String(body(response(claimB, insurerA, marker)), StandardCharsets.UTF_8)
                + ",\"request\":{\"method\":\"POST\",\"url\":\"ClaimResponse\"}}]}";
        HttpResponse<String> refusedTransaction =
                http("POST", "", JSON, transaction.getBytes(StandardCharsets.UTF_8), insurer);
        assertThat(refusedTransaction.statusCode())
                .as(refusedTransaction.body())
                .isEqualTo(403);
        assertThat(refusedTransaction.body()).contains(ClaimResponseGuard.REFUSAL);
        assertThat(client.search()
                        .byUrl("ClaimResponse?identifier=" + system + "|" + marker)
                        .returnBundle(Bundle.class)
                        .execute()
                        .getEntry())
                .isEmpty();

        // Nothing else is written.
        assertThat(status("POST", "/Claim", body(ClinicalFixtures.claim(prescribed, provider)), insurer))
                .isEqualTo(403);
        assertThat(status("POST", "/Patient", body(ClinicalFixtures.patient(system, "w", "W", "1990-01-01")), insurer))
                .isEqualTo(403);
    }

    @Test
    void aBatchRead_isDecidedLikeTheReadItContains() {
        String batch = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":["
                + "{\"request\":{\"method\":\"GET\",\"url\":\"" + unprescribed + "\"}},"
                + "{\"request\":{\"method\":\"GET\",\"url\":\"Patient?_id=" + idPart(unprescribed) + "\"}}]}";
        for (String bearer : List.of(pharmacist(create(new Practitioner().setActive(true))), insurer(insurerA))) {
            HttpResponse<String> answer = http("POST", "", JSON, batch.getBytes(StandardCharsets.UTF_8), bearer);
            assertRefusedInBatch(answer);
            assertThat(answer.body()).as("the unrelated Patient never leaves").doesNotContain("Unprescribed");
        }
    }

    /**
     * A batch whose first GET entry is withheld: that entry answers 403, or the whole batch does (seen in
     * some runs: the cause, likely HAPI's authorization check of the batch answer, is not pinned down).
     */
    private static void assertRefusedInBatch(HttpResponse<String> answer) {
        if (answer.statusCode() == 403) {
            assertThat(answer.body()).contains("OperationOutcome");
            return;
        }
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(CLIENT_CONTEXT
                        .newJsonParser()
                        .parseResource(Bundle.class, answer.body())
                        .getEntryFirstRep()
                        .getResponse()
                        .getStatus())
                .as(answer.body())
                .startsWith("403");
    }

    private ClaimResponse response(String claim, String insurerRef, String identifier) {
        ClaimResponse response = new ClaimResponse();
        response.addIdentifier().setSystem(system).setValue(identifier);
        response.setStatus(ClaimResponse.ClaimResponseStatus.ACTIVE);
        response.setType(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/claim-type", "institutional", null)));
        response.setUse(ClaimResponse.Use.CLAIM);
        response.setPatient(new Reference(prescribed));
        response.setCreated(new java.util.Date());
        response.setInsurer(new Reference(insurerRef));
        response.setRequest(new Reference(claim));
        response.setOutcome(ClaimResponse.RemittanceOutcome.COMPLETE);
        return response;
    }

    private String pharmacist(String practitioner) {
        return issuer.mint(new TokenIssuer.TokenRequest(
                Role.PHARMACIST,
                "pharmacy-" + idPart(practitioner),
                Duration.ofMinutes(10),
                null,
                null,
                practitioner,
                null));
    }

    private String insurer(String organization) {
        return issuer.mint(new TokenIssuer.TokenRequest(
                Role.INSURER, "payer-" + idPart(organization), Duration.ofMinutes(10), null, null, organization, null));
    }

    private int status(String method, String path, String bearer) {
        return status(method, path, null, bearer);
    }

    private int status(String method, String path, byte[] body, String bearer) {
        HttpResponse<String> response = http(method, path, body == null ? null : JSON, body, bearer);
        if (response.statusCode() >= 400) {
            assertThat(response.body()).contains("OperationOutcome");
        }
        return response.statusCode();
    }

    private Bundle search(String path, String bearer) {
        HttpResponse<String> response = http("GET", path, null, null, bearer);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return CLIENT_CONTEXT.newJsonParser().parseResource(Bundle.class, response.body());
    }

    private static List<String> ids(Bundle bundle) {
        return bundle.getEntry().stream()
                .map(entry -> entry.getResource()
                        .getIdElement()
                        .toUnqualifiedVersionless()
                        .getValue())
                .toList();
    }

    private static byte[] body(IBaseResource resource) {
        return CLIENT_CONTEXT.newJsonParser().encodeResourceToString(resource).getBytes(StandardCharsets.UTF_8);
    }

    private String create(IBaseResource resource) {
        return client.create()
                .resource(resource)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
    }

    private static String idPart(String reference) {
        return reference.substring(reference.indexOf('/') + 1);
    }
}
