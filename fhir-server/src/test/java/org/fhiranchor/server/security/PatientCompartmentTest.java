package org.fhiranchor.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.fhiranchor.server.support.ClinicalFixtures;
import org.fhiranchor.server.support.FhirRestTest;
import org.hl7.fhir.instance.model.api.IIdType;
import org.junit.jupiter.api.Test;

/** A patient token sees its own compartment and nothing else, without learning what exists. */
class PatientCompartmentTest extends FhirRestTest {

    private final String system = "urn:fhir-anchor:test:compartment:" + UUID.randomUUID();

    @Test
    void patientReadsOwnDataOnly_andRefusalsLookAlike() throws Exception {
        IIdType alice = createPatient("alice");
        IIdType bob = createPatient("bob");
        IIdType aliceObs = createObservation(alice);
        IIdType bobObs = createObservation(bob);
        String aliceToken = issuer.mint(new TokenIssuer.TokenRequest(
                Role.PATIENT, "alice-app", Duration.ofMinutes(10), alice.getIdPart(), null));

        assertThat(get(aliceToken, "/" + alice.getValue()).statusCode()).isEqualTo(200);
        assertThat(get(aliceToken, "/" + aliceObs.getValue()).statusCode()).isEqualTo(200);
        HttpResponse<String> ownSearch = get(aliceToken, "/Observation?patient=" + alice.getValue());
        assertThat(ownSearch.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(ownSearch.body()).path("total").asInt())
                .isEqualTo(1);

        HttpResponse<String> otherPatient = get(aliceToken, "/" + bob.getValue());
        HttpResponse<String> otherObservation = get(aliceToken, "/" + bobObs.getValue());
        HttpResponse<String> missingObservation = get(aliceToken, "/Observation/" + UUID.randomUUID());
        HttpResponse<String> missingPatient = get(aliceToken, "/Patient/" + UUID.randomUUID());
        HttpResponse<String> otherSearch = get(aliceToken, "/Observation?patient=" + bob.getValue());
        HttpResponse<String> unrestrictedSearch = get(aliceToken, "/Observation");
        for (HttpResponse<String> refused : new HttpResponse[] {
            otherPatient, otherObservation, missingObservation, missingPatient, otherSearch, unrestrictedSearch
        }) {
            assertThat(refused.statusCode()).as(refused.uri().toString()).isEqualTo(403);
            // Same body whether the resource exists or not: a refusal tells nothing.
            assertThat(refused.body()).isEqualTo(otherObservation.body());
        }
        assertThat(otherObservation.body()).doesNotContain(bobObs.getIdPart()).doesNotContain(bob.getIdPart());
    }

    @Test
    void forbiddenForExistingAndMissingIds_looksTheSame_forOtherRoles() {
        IIdType existing = createPatient("carol");
        String auditor = token(Role.AUDITOR);
        HttpResponse<String> there = get(auditor, "/" + existing.getValue());
        HttpResponse<String> notThere = get(auditor, "/Patient/" + UUID.randomUUID());
        assertThat(there.statusCode()).isEqualTo(403);
        assertThat(notThere.statusCode()).isEqualTo(403);
        assertThat(there.body()).isEqualTo(notThere.body());
    }

    private HttpResponse<String> get(String bearer, String path) {
        return http("GET", path, null, null, bearer);
    }

    private IIdType createPatient(String mrn) {
        return client.create()
                .resource(ClinicalFixtures.patient(system, mrn, "Compartment", "1980-01-01"))
                .execute()
                .getId()
                .toUnqualifiedVersionless();
    }

    private IIdType createObservation(IIdType patient) {
        return client.create()
                .resource(ClinicalFixtures.observation(
                        patient.getValue(), "2345-7", "laboratory", "2024-01-02T10:00:00Z", "90"))
                .execute()
                .getId()
                .toUnqualifiedVersionless();
    }
}
