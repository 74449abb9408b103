package org.fhiranchor.server.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.fhiranchor.server.consent.ConsentEvaluator.Outcome;
import org.fhiranchor.server.consent.ConsentEvaluator.Question;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentProvisionType;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/** The clinical questions to the one evaluator (docs/consent.md section 5), and the bulk export's reader. */
class PrivacyEvaluatorTest {

    private static final ConsentFlattener FLATTENER = new ConsentFlattener(Set.of(
            "http://hl7.org/fhir/ConsentPolicy/opt-in", "http://hl7.org/fhir/ConsentPolicy/opt-out",
            "http://terminology.hl7.org/CodeSystem/v3-ActCode|OPTIN", "http://terminology.hl7.org/CodeSystem/v3-ActCode|OPTOUT"));
    private static final String PATIENT = "Patient/p1";
    private static final Instant NOW = Instant.parse("2026-11-21T00:00:00Z");
    private static final Question LEE = Question.clinical(Set.of("Practitioner/lee", "PractitionerRole/lee-at-general",
            "Organization/general"));
    private static final Question KIM = Question.clinical(Set.of("Practitioner/kim"));
    private static final Question UNKNOWN = Question.clinical(Set.of());

    private static Outcome outcome(Question question, Consent... consents) {
        return ConsentEvaluator.evaluate(java.util.Arrays.stream(consents).map(c -> FLATTENER.flatten(c, 1, false))
                .toList(), question, "Observation", NOW).outcome();
    }

    @Test
    void membershipOfANamedOrganization_counts_andANestedPermitExceptsOneMember() {
        Consent denyHospital = PrivacyConsents.privacy(PATIENT, ConsentProvisionType.DENY, "Organization/general");
        assertThat(outcome(LEE, denyHospital)).isEqualTo(Outcome.DENY);
        assertThat(outcome(KIM, denyHospital)).isEqualTo(Outcome.NO_CONSENT);
        denyHospital.getProvision().addProvision().setType(ConsentProvisionType.PERMIT)
                .addActor().setReference(new Reference("Practitioner/lee"));
        assertThat(outcome(LEE, denyHospital)).isEqualTo(Outcome.PERMIT);
    }

    @Test
    void anUnknownCaller_neverMatchesAPermitWithActors_andAlwaysADenyWithActors() {
        assertThat(outcome(UNKNOWN, PrivacyConsents.privacy(PATIENT, ConsentProvisionType.PERMIT, "Practitioner/lee")))
                .isEqualTo(Outcome.NO_CONSENT);
        assertThat(outcome(UNKNOWN, PrivacyConsents.privacy(PATIENT, ConsentProvisionType.DENY, "Practitioner/kim")))
                .isEqualTo(Outcome.DENY);
    }

    @Test
    void onlyPrivacyConsentsDecideClinicalReads_andResearchKeepsItsOwnRules() {
        Consent research = ResearchConsents.of(ResearchConsents.Variant.DENY, PATIENT, "Organization/general");
        assertThat(outcome(LEE, research)).isEqualTo(Outcome.NO_CONSENT);
        Consent privacyDenyAll = PrivacyConsents.privacy(PATIENT, ConsentProvisionType.DENY);
        assertThat(ConsentEvaluator.evaluate(java.util.List.of(FLATTENER.flatten(privacyDenyAll, 1, false)),
                new ResearchRequester("Organization/lab", "HRESCH"), "Observation", NOW).outcome()).isEqualTo(Outcome.DENY);
    }

    @Test
    void aPrivacyConsentNamingSomeoneWhoCannotBeACaller_isRefused() {
        assertThatThrownBy(() -> FLATTENER.validate(PrivacyConsents.privacy(PATIENT, ConsentProvisionType.DENY,
                "Observation/o1"))).isInstanceOf(InvalidConsentException.class).hasMessageContaining("actor");
        Consent byIdentifier = PrivacyConsents.privacy(PATIENT, ConsentProvisionType.DENY);
        byIdentifier.getProvision().addActor().setReference(new Reference().setIdentifier(
                new org.hl7.fhir.r4.model.Identifier().setSystem("urn:npi").setValue("123")));
        assertThatThrownBy(() -> FLATTENER.validate(byIdentifier)).isInstanceOf(InvalidConsentException.class);
        FLATTENER.validate(PrivacyConsents.privacy(PATIENT, ConsentProvisionType.PERMIT, "CareTeam/t", "RelatedPerson/r",
                "PractitionerRole/x"));
    }

    @Test
    void theReader_travelsThroughBulkExportJobUserData() {
        ClinicalReader reader = ClinicalReader.of("https://fhir.example/fhir/Practitioner/lee", true);
        assertThat(reader.fhirUser()).isEqualTo("Practitioner/lee");
        Map<String, Object> job = reader.asJobUserData();
        assertThat(job.values()).allMatch(String.class::isInstance);
        assertThat(ClinicalReader.fromJobUserData(job)).contains(reader);
        assertThat(ClinicalReader.fromJobUserData(Map.of())).isEmpty();
        assertThat(ClinicalReader.of("Patient/p1", false).fhirUser()).isNull();
    }
}
