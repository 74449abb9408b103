package org.fhiranchor.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.fhiranchor.server.audit.AuditBatchesTest;
import org.fhiranchor.server.support.ClinicalFixtures;
import org.fhiranchor.server.support.FhirRestTest;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Answers that mix resource types ({@code $everything}, {@code _include}, {@code _revinclude})
 * leave out what the caller may not read instead of being refused whole, for every role; what the
 * caller asked for directly is still refused as before.
 */
// AuditEvents in HAPI's tables, where $everything finds them.
@TestPropertySource(properties = {AuditBatchesTest.HAPI_CONTEXT, AuditBatchesTest.HAPI_STORE})
class MixedAnswersTest extends FhirRestTest {

    private final String system = "urn:fhir-anchor:test:mixed:" + UUID.randomUUID();

    @Autowired
    DaoRegistry daoRegistry;

    private String patient;
    private String otherPatient;
    private String practitioner;
    private String observation;
    private String legacyEvent;

    @BeforeEach
    void seed() {
        patient = client.create()
                .resource(ClinicalFixtures.patient(system, "m1", "Mixed", "1970-01-01"))
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        otherPatient = client.create()
                .resource(ClinicalFixtures.patient(system, "m2", "Other", "1971-01-01"))
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        practitioner = client.create()
                .resource(new Practitioner().setActive(true))
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        Observation lab = ClinicalFixtures.observation(patient, "2345-7", "laboratory", "2024-01-02T10:00:00Z", "90");
        lab.addPerformer(new Reference(practitioner));
        observation = client.create()
                .resource(lab)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        // An audit record that names the patient by literal reference, as research audits did before
        // they named patients by identifier: databases written then still hold such records.
        AuditEvent event = new AuditEvent();
        event.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", null));
        event.setRecorded(new Date());
        event.addAgent().setRequestor(true).setName("legacy");
        event.getSource().setObserver(new Reference().setDisplay("test"));
        event.addEntity().setWhat(new Reference(patient));
        legacyEvent = daoRegistry
                .getResourceDao(AuditEvent.class)
                .create(event, new SystemRequestDetails())
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
    }

    @Test
    void everything_leavesOutTheAuditTrail_forClinicalRoles_andKeepsItForAdmins() {
        for (Role role : List.of(Role.EHR, Role.CLINICIAN)) {
            List<String> ids = idsOf(getOk(token(role), "/" + patient + "/$everything"));
            assertThat(ids)
                    .as(role.code())
                    .contains(patient, observation, practitioner)
                    .doesNotContain(legacyEvent);
            // Type level, narrowed to this test's patients (the shared server holds other tests' too).
            List<String> typeLevel = idsOf(getOk(
                    token(role),
                    "/Patient/$everything?_count=500&_id=" + idPart(patient) + "," + idPart(otherPatient)));
            assertThat(typeLevel)
                    .as(role.code())
                    .contains(patient, otherPatient, observation)
                    .doesNotContain(legacyEvent);
        }
        assertThat(idsOf(getOk(token(Role.ADMIN), "/" + patient + "/$everything")))
                .contains(legacyEvent, observation);
    }

    @Test
    void revinclude_ofTheAuditTrail_isLeftOut_notRefused() {
        String query = "/Patient?_id=" + idPart(patient) + "&_revinclude=AuditEvent:entity";
        assertThat(idsOf(getOk(token(Role.CLINICIAN), query))).containsExactly(patient);
        assertThat(idsOf(getOk(token(Role.ADMIN), query))).contains(patient, legacyEvent);
        // Asking for the audit trail itself is still refused.
        assertThat(http("GET", "/AuditEvent?entity=" + patient, null, null, token(Role.CLINICIAN))
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void patientsInclude_leavesOutWhatIsOutsideTheCompartment() {
        String patientToken = issuer.mint(
                new TokenIssuer.TokenRequest(Role.PATIENT, "mixed-app", Duration.ofMinutes(10), idPart(patient), null));
        String query =
                "/Observation?patient=" + patient + "&_include=Observation:performer&_include=Observation:subject";
        assertThat(idsOf(getOk(patientToken, query))).containsExactlyInAnyOrder(observation, patient);
        // Reading the Practitioner directly, or another patient's data, is still refused.
        assertThat(http("GET", "/" + practitioner, null, null, patientToken).statusCode())
                .isEqualTo(403);
        assertThat(http(
                                "GET",
                                "/Observation?patient=" + otherPatient + "&_include=Observation:subject",
                                null,
                                null,
                                patientToken)
                        .statusCode())
                .isEqualTo(403);
    }

    private Bundle getOk(String bearer, String path) {
        HttpResponse<String> response = http("GET", path, null, null, bearer);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return CLIENT_CONTEXT.newJsonParser().parseResource(Bundle.class, response.body());
    }

    private static List<String> idsOf(Bundle bundle) {
        return bundle.getEntry().stream()
                .map(e -> e.getResource()
                        .getIdElement()
                        .toUnqualifiedVersionless()
                        .getValue())
                .toList();
    }

    private static String idPart(String reference) {
        return reference.substring(reference.indexOf('/') + 1);
    }
}
