package org.fhiranchor.server.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What patients do with their privacy: grant and revoke access with their own token (each decision
 * queued for the chain), see every access to their record in their access log (and nobody else's),
 * and see when a clinician broke the glass.
 */
class PatientPrivacyTest extends FhirRestTest {

    private final String system = "urn:fhir-anchor:test:patient-privacy:" + UUID.randomUUID();

    @Autowired
    JdbcTemplate jdbc;

    private String patient;
    private String otherPatient;
    private String doctor;
    private String otherDoctor;
    private String observation;

    @BeforeEach
    void seed() {
        patient = client.create()
                .resource(ClinicalFixtures.patient(system, "p1", "Ownrecord", "1975-05-05"))
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        otherPatient = client.create()
                .resource(ClinicalFixtures.patient(system, "p2", "Otherrecord", "1976-06-06"))
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        doctor = client.create()
                .resource(new Practitioner().setActive(true))
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        otherDoctor = client.create()
                .resource(new Practitioner().setActive(true))
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        observation = client.create()
                .resource(ClinicalFixtures.observation(patient, "2345-7", "laboratory", "2024-01-02T10:00:00Z", "90"))
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
    }

    @Test
    void patient_revokesADoctor_thenTakesItBack_andEachDecisionIsQueuedForTheChain() {
        String me = patientToken(patient);
        String drToken = clinician(doctor);
        assertThat(http("GET", "/" + observation, null, null, drToken).statusCode())
                .isEqualTo(200);
        long queued = queuedDecisions();

        HttpResponse<String> created =
                post("/Consent", json(PrivacyConsents.privacy(patient, Consent.ConsentProvisionType.DENY, doctor)), me);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Consent deny = CLIENT_CONTEXT.newJsonParser().parseResource(Consent.class, created.body());
        assertThat(http("GET", "/" + observation, null, null, drToken).statusCode())
                .isEqualTo(403);
        assertThat(http("GET", "/" + observation, null, null, clinician(otherDoctor))
                        .statusCode())
                .isEqualTo(200);
        assertThat(http("GET", "/Consent/" + deny.getIdElement().getIdPart(), null, null, me)
                        .statusCode())
                .isEqualTo(200);

        deny.setStatus(Consent.ConsentState.INACTIVE);
        HttpResponse<String> revoked = http(
                "PUT",
                "/Consent/" + deny.getIdElement().getIdPart(),
                "application/fhir+json",
                json(deny).getBytes(StandardCharsets.UTF_8),
                me);
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(http("GET", "/" + observation, null, null, drToken).statusCode())
                .isEqualTo(200);
        assertThat(queuedDecisions()).isEqualTo(queued + 2);
    }

    @Test
    void patient_hidesOnlyTheirPsychiatricNotes_fromADoctor_bySecurityLabel() {
        org.hl7.fhir.r4.model.Observation psychiatric =
                ClinicalFixtures.observation(patient, "2345-7", "laboratory", "2024-01-03T10:00:00Z", "91");
        psychiatric
                .getMeta()
                .addSecurity("http://terminology.hl7.org/CodeSystem/v3-ActCode", "PSY", "psychiatry information");
        String labelled = client.create()
                .resource(psychiatric)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        String drToken = clinician(doctor);
        assertThat(http("GET", "/" + labelled, null, null, drToken).statusCode())
                .isEqualTo(200);

        Consent hidePsychiatry = PrivacyConsents.privacy(patient, Consent.ConsentProvisionType.DENY, doctor);
        hidePsychiatry
                .getProvision()
                .addSecurityLabel()
                .setSystem("http://terminology.hl7.org/CodeSystem/v3-ActCode")
                .setCode("PSY");
        HttpResponse<String> created = post("/Consent", json(hidePsychiatry), patientToken(patient));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        // The labelled note is withheld from that doctor, everything else of the record still reads.
        assertThat(http("GET", "/" + labelled, null, null, drToken).statusCode())
                .isEqualTo(403);
        assertThat(http("GET", "/" + observation, null, null, drToken).statusCode())
                .isEqualTo(200);
        HttpResponse<String> search = http("GET", "/Observation?subject=" + patient, null, null, drToken);
        assertThat(search.statusCode()).isEqualTo(200);
        assertThat(search.body())
                .contains(observation.substring(observation.indexOf('/') + 1))
                .doesNotContain(labelled.substring(labelled.indexOf('/') + 1));
        assertThat(http("GET", "/" + labelled, null, null, clinician(otherDoctor))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void patient_cannotWriteOrReadAnotherPatientsConsent_norBadConsents_andNothingIsStored() {
        String me = patientToken(patient);
        long queued = queuedDecisions();

        HttpResponse<String> foreign = post(
                "/Consent", json(PrivacyConsents.privacy(otherPatient, Consent.ConsentProvisionType.DENY, doctor)), me);
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.body()).contains("OperationOutcome").contains("Consent.patient must be your own Patient");

        HttpResponse<String> unknownActor = post(
                "/Consent", json(PrivacyConsents.privacy(patient, Consent.ConsentProvisionType.DENY, observation)), me);
        assertThat(unknownActor.statusCode()).isEqualTo(422);
        assertThat(unknownActor.body()).contains("OperationOutcome").contains("actor");

        Consent backwards = PrivacyConsents.privacy(patient, Consent.ConsentProvisionType.DENY, doctor);
        backwards
                .getProvision()
                .getPeriod()
                .setStartElement(new org.hl7.fhir.r4.model.DateTimeType("2030-01-01"))
                .setEndElement(new org.hl7.fhir.r4.model.DateTimeType("2029-01-01"));
        assertThat(post("/Consent", json(backwards), me).statusCode()).isEqualTo(422);

        String unparseable = json(PrivacyConsents.privacy(patient, Consent.ConsentProvisionType.DENY, doctor))
                .replace("\"provision\":{", "\"provision\":{\"period\":{\"start\":\"next tuesday\"},");
        HttpResponse<String> badPeriod = post("/Consent", unparseable, me);
        assertThat(badPeriod.statusCode()).isEqualTo(400);
        assertThat(badPeriod.body()).contains("OperationOutcome");

        assertThat(queuedDecisions()).isEqualTo(queued);
        Bundle stored = client.search()
                .byUrl("Consent?patient=" + patient + "," + otherPatient)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(stored.getEntry()).isEmpty();

        String othersConsent = client.create()
                .resource(PrivacyConsents.privacy(otherPatient, Consent.ConsentProvisionType.DENY, doctor))
                .execute()
                .getId()
                .getIdPart();
        assertThat(http("GET", "/Consent/" + othersConsent, null, null, me).statusCode())
                .isEqualTo(403);
    }

    @Test
    void breakGlass_overridesADeny_isAudited_andThePatientSeesIt() {
        client.create()
                .resource(PrivacyConsents.privacy(patient, Consent.ConsentProvisionType.DENY, doctor))
                .execute();
        String drToken = clinician(doctor);
        assertThat(http("GET", "/" + observation, null, null, drToken).statusCode())
                .isEqualTo(403);

        HttpResponse<String> byHeader =
                http("GET", "/" + observation, null, null, drToken, Map.of("X-Purpose-Of-Use", "BTG"));
        assertThat(byHeader.statusCode()).isEqualTo(200);
        String btgToken = issuer.mint(new TokenIssuer.TokenRequest(
                Role.CLINICIAN, "dr-emergency", Duration.ofMinutes(10), null, null, doctor, "BTG"));
        HttpResponse<String> everything = http("GET", "/" + patient + "/$everything", null, null, btgToken);
        assertThat(everything.statusCode()).isEqualTo(200);
        assertThat(everything.body()).contains(observation.substring(observation.indexOf('/') + 1));

        List<AuditEvent> log = accessLog(patientToken(patient), patient, "");
        List<AuditEvent> breakGlass = log.stream()
                .filter(e -> e.getPurposeOfEvent().stream()
                        .anyMatch(p -> p.getCodingFirstRep().getCode().equals("BTG")))
                .toList();
        assertThat(breakGlass).hasSize(2);
        assertThat(breakGlass).allSatisfy(event -> {
            assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
            assertThat(event.getAgent())
                    .anySatisfy(agent -> assertThat(agent.getName()).isEqualTo(doctor));
        });
        // Anchored like every version: the break-glass event has a log leaf and verifies.
        String eventId = breakGlass.get(0).getIdElement().getIdPart();
        HttpResponse<String> verify = get("/AuditEvent/" + eventId + "/_history/1/$verify");
        assertThat(verify.statusCode()).as(verify.body()).isEqualTo(200);
    }

    @Test
    void breakGlass_isRefusedToRolesThatMayNotUseIt() {
        for (String bearer : List.of(token(Role.RESEARCHER), token(Role.AUDITOR), patientToken(patient))) {
            HttpResponse<String> refused =
                    http("GET", "/" + patient, null, null, bearer, Map.of("X-Purpose-Of-Use", "BTG"));
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("OperationOutcome").contains("Break-glass");
        }
        String patientBtg = issuer.mint(new TokenIssuer.TokenRequest(
                Role.PATIENT, "patient-btg", Duration.ofMinutes(10), idPart(patient), null, null, "BTG"));
        assertThat(http("GET", "/" + patient, null, null, patientBtg).statusCode())
                .isEqualTo(403);
        assertThat(http("GET", "/" + patient, null, null, clinician(doctor), Map.of("X-Purpose-Of-Use", "TREAT"))
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void patient_readsEveryAccessToTheirRecord_andNothingAboutAnyoneElse() {
        String drToken = clinician(doctor);
        assertThat(http("GET", "/" + observation, null, null, drToken).statusCode())
                .isEqualTo(200);
        // One search touching both patients: the event names both, each patient sees only themselves.
        assertThat(http("GET", "/Patient?_id=" + idPart(patient) + "," + idPart(otherPatient), null, null, drToken)
                        .statusCode())
                .isEqualTo(200);
        assertThat(http("GET", "/" + otherPatient, null, null, token(Role.EHR)).statusCode())
                .isEqualTo(200);

        List<AuditEvent> mine = accessLog(patientToken(patient), patient, "&_sort=-date");
        assertThat(mine)
                .anySatisfy(event -> assertThat(event.getEntity())
                        .anySatisfy(entity -> assertThat(entity.getName()).isEqualTo(observation)));
        assertThat(mine)
                .anySatisfy(event -> assertThat(event.getAgent())
                        .anySatisfy(agent -> assertThat(agent.getName()).isEqualTo(doctor)));
        assertThat(mine)
                .filteredOn(event -> event.getEntityFirstRep().getName().equals("Patient"))
                .isNotEmpty();
        String myLog = CLIENT_CONTEXT.newJsonParser().encodeResourceToString(bundleOf(mine));
        assertThat(myLog).doesNotContain(otherPatient).doesNotContain("\"address\"");
        assertThat(mine).extracting(e -> e.getRecorded()).isSortedAccordingTo(java.util.Comparator.reverseOrder());

        List<AuditEvent> byDoctor = accessLog(patientToken(patient), patient, "&agent-name=" + doctor);
        assertThat(byDoctor)
                .isNotEmpty()
                .allSatisfy(event -> assertThat(event.getAgent())
                        .anySatisfy(agent -> assertThat(agent.getName()).isEqualTo(doctor)));

        String theirs = CLIENT_CONTEXT
                .newJsonParser()
                .encodeResourceToString(bundleOf(accessLog(patientToken(otherPatient), otherPatient, "")));
        assertThat(theirs).contains(otherPatient).doesNotContain(patient + "\"").doesNotContain(observation);

        String me = patientToken(patient);
        assertThat(http("GET", "/AuditEvent?patient=" + otherPatient, null, null, me)
                        .statusCode())
                .isEqualTo(403);
        assertThat(http("GET", "/AuditEvent?patient=" + patient + "," + otherPatient, null, null, me)
                        .statusCode())
                .isEqualTo(403);
        assertThat(http("GET", "/AuditEvent", null, null, me).statusCode()).isEqualTo(403);
        HttpResponse<String> widened =
                http("GET", "/AuditEvent?patient=" + patient + "&entity-name=" + otherPatient, null, null, me);
        assertThat(widened.statusCode()).isEqualTo(400);
        assertThat(widened.body()).contains("OperationOutcome");
        assertThat(http("GET", "/AuditEvent?patient=" + patient + "&_include=AuditEvent:entity", null, null, me)
                        .statusCode())
                .isEqualTo(400);
    }

    private List<AuditEvent> accessLog(String bearer, String whose, String extra) {
        HttpResponse<String> response =
                http("GET", "/AuditEvent?patient=" + whose + "&_count=200" + extra, null, null, bearer);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Bundle bundle = CLIENT_CONTEXT.newJsonParser().parseResource(Bundle.class, response.body());
        return bundle.getEntry().stream().map(e -> (AuditEvent) e.getResource()).toList();
    }

    private static Bundle bundleOf(List<AuditEvent> events) {
        Bundle bundle = new Bundle();
        events.forEach(event -> bundle.addEntry().setResource(event));
        return bundle;
    }

    private long queuedDecisions() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM anchor_consent_decision", Long.class);
    }

    private HttpResponse<String> post(String path, String body, String bearer) {
        return http("POST", path, "application/fhir+json", body.getBytes(StandardCharsets.UTF_8), bearer);
    }

    private static String json(Consent consent) {
        return CLIENT_CONTEXT.newJsonParser().encodeResourceToString(consent);
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
