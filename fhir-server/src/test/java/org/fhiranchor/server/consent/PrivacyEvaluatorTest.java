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
            "http://terminology.hl7.org/CodeSystem/v3-ActCode|OPTIN",
                    "http://terminology.hl7.org/CodeSystem/v3-ActCode|OPTOUT"));
    private static final String PATIENT = "Patient/p1";
    private static final Instant NOW = Instant.parse("2026-11-21T00:00:00Z");
    private static final Question LEE =
            Question.clinical(Set.of("Practitioner/lee", "PractitionerRole/lee-at-general", "Organization/general"));
    private static final Question KIM = Question.clinical(Set.of("Practitioner/kim"));
    private static final Question UNKNOWN = Question.clinical(Set.of());

    private static Outcome outcome(Question question, Consent... consents) {
        return ConsentEvaluator.evaluate(
                        java.util.Arrays.stream(consents)
                                .map(c -> FLATTENER.flatten(c, 1, false))
                                .toList(),
                        question,
                        "Observation",
                        NOW)
                .outcome();
    }

    @Test
    void membershipOfANamedOrganization_counts_andANestedPermitExceptsOneMember() {
        Consent denyHospital = PrivacyConsents.privacy(PATIENT, ConsentProvisionType.DENY, "Organization/general");
        assertThat(outcome(LEE, denyHospital)).isEqualTo(Outcome.DENY);
        assertThat(outcome(KIM, denyHospital)).isEqualTo(Outcome.NO_CONSENT);
        denyHospital
                .getProvision()
                .addProvision()
                .setType(ConsentProvisionType.PERMIT)
                .addActor()
                .setReference(new Reference("Practitioner/lee"));
        assertThat(outcome(LEE, denyHospital)).isEqualTo(Outcome.PERMIT);
    }

    private static Outcome outcome(Question question, Set<String> labels, Consent... consents) {
        return ConsentEvaluator.evaluate(
                        java.util.Arrays.stream(consents)
                                .map(c -> FLATTENER.flatten(c, 1, false))
                                .toList(),
                        question,
                        "Observation",
                        labels,
                        NOW)
                .outcome();
    }

    @Test
    void aProvisionWithSecurityLabels_controlsOnlyTheResourcesCarryingThem() {
        String psy = "http://terminology.hl7.org/CodeSystem/v3-ActCode|PSY";
        Consent hidePsychiatry = PrivacyConsents.privacy(PATIENT, ConsentProvisionType.DENY, "Practitioner/lee");
        hidePsychiatry
                .getProvision()
                .addSecurityLabel()
                .setSystem("http://terminology.hl7.org/CodeSystem/v3-ActCode")
                .setCode("PSY");
        // A labelled resource is withheld from the named doctor; an unlabelled one is not covered by the deny.
        assertThat(outcome(LEE, Set.of(psy), hidePsychiatry)).isEqualTo(Outcome.DENY);
        assertThat(outcome(LEE, Set.of(), hidePsychiatry)).isEqualTo(Outcome.NO_CONSENT);
        assertThat(outcome(LEE, Set.of("http://terminology.hl7.org/CodeSystem/v3-Confidentiality|R"), hidePsychiatry))
                .isEqualTo(Outcome.NO_CONSENT);
        // Labels unknown (a caller that does not pass the resource): doubt never releases data.
        assertThat(outcome(LEE, hidePsychiatry)).isEqualTo(Outcome.DENY);

        // A permit with a label releases only what carries it; a label without a system matches its code.
        Consent allowPsychiatry = PrivacyConsents.privacy(PATIENT, ConsentProvisionType.PERMIT, "Practitioner/kim");
        allowPsychiatry.getProvision().addSecurityLabel().setCode("PSY");
        assertThat(outcome(KIM, Set.of(psy), allowPsychiatry)).isEqualTo(Outcome.PERMIT);
        assertThat(outcome(KIM, Set.of(), allowPsychiatry)).isEqualTo(Outcome.NO_CONSENT);
        assertThat(outcome(KIM, allowPsychiatry)).isEqualTo(Outcome.NO_CONSENT);

        // A nested provision without labels inherits its parent's; the record's v1 form is unchanged.
        Consent nested = PrivacyConsents.privacy(PATIENT, ConsentProvisionType.DENY);
        nested.getProvision()
                .addSecurityLabel()
                .setSystem("http://terminology.hl7.org/CodeSystem/v3-ActCode")
                .setCode("PSY");
        nested.getProvision()
                .addProvision()
                .setType(ConsentProvisionType.PERMIT)
                .addActor()
                .setReference(new Reference("Practitioner/lee"));
        assertThat(outcome(LEE, Set.of(psy), nested)).isEqualTo(Outcome.PERMIT);
        assertThat(outcome(KIM, Set.of(psy), nested)).isEqualTo(Outcome.DENY);
        assertThat(outcome(KIM, Set.of(), nested)).isEqualTo(Outcome.NO_CONSENT);
        assertThat(FLATTENER.flatten(nested, 1, false).rules())
                .allSatisfy(rule -> assertThat(rule.unevaluated()).contains("securityLabel"));
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
        assertThat(ConsentEvaluator.evaluate(
                                java.util.List.of(FLATTENER.flatten(privacyDenyAll, 1, false)),
                                new ResearchRequester("Organization/lab", "HRESCH"),
                                "Observation",
                                NOW)
                        .outcome())
                .isEqualTo(Outcome.DENY);
    }

    @Test
    void aPrivacyConsentNamingSomeoneWhoCannotBeACaller_isRefused() {
        assertThatThrownBy(() -> FLATTENER.validate(
                        PrivacyConsents.privacy(PATIENT, ConsentProvisionType.DENY, "Observation/o1")))
                .isInstanceOf(InvalidConsentException.class)
                .hasMessageContaining("actor");
        Consent byIdentifier = PrivacyConsents.privacy(PATIENT, ConsentProvisionType.DENY);
        byIdentifier
                .getProvision()
                .addActor()
                .setReference(new Reference()
                        .setIdentifier(new org.hl7.fhir.r4.model.Identifier()
                                .setSystem("urn:npi")
                                .setValue("123")));
        assertThatThrownBy(() -> FLATTENER.validate(byIdentifier)).isInstanceOf(InvalidConsentException.class);
        FLATTENER.validate(PrivacyConsents.privacy(
                PATIENT, ConsentProvisionType.PERMIT, "CareTeam/t", "RelatedPerson/r", "PractitionerRole/x"));
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
