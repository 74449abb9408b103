package org.fhiranchor.server.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fhiranchor.server.consent.ConsentFlattenerTest.FLATTENER;

import java.time.Instant;
import java.util.List;
import org.fhiranchor.server.consent.ConsentEvaluator.Outcome;
import org.fhiranchor.server.consent.ResearchConsents.Variant;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.Test;

/** The release rules of docs/consent.md, for every research variant. */
class ConsentEvaluatorTest {

    private static final String PATIENT = "Patient/p1";
    private static final String RESEARCHER = "Organization/research-lab";
    private static final ResearchRequester LAB = new ResearchRequester(RESEARCHER, "HRESCH");
    private static final ResearchRequester OTHER_LAB = new ResearchRequester("Organization/other-lab", "HRESCH");
    private static final Instant NOW = Instant.parse("2026-11-21T00:00:00Z");

    private static ConsentDecisionRecord record(Consent consent) {
        return FLATTENER.flatten(consent, 1, false);
    }

    private static Outcome outcome(ResearchRequester requester, String type, Consent... consents) {
        return ConsentEvaluator.evaluate(
                        java.util.Arrays.stream(consents)
                                .map(ConsentEvaluatorTest::record)
                                .toList(),
                        requester,
                        type,
                        NOW)
                .outcome();
    }

    private static Consent variant(Variant variant) {
        return ResearchConsents.of(variant, PATIENT, RESEARCHER);
    }

    @Test
    void eachVariant_givesTheExpectedDecision() {
        assertThat(outcome(LAB, "Observation", variant(Variant.PERMIT_ORGANIZATION)))
                .isEqualTo(Outcome.PERMIT);
        assertThat(outcome(OTHER_LAB, "Observation", variant(Variant.PERMIT_ORGANIZATION)))
                .isEqualTo(Outcome.NO_CONSENT);
        assertThat(outcome(LAB, "Observation", variant(Variant.PERMIT_ANY_RESEARCHER)))
                .isEqualTo(Outcome.PERMIT);
        assertThat(outcome(OTHER_LAB, "Claim", variant(Variant.PERMIT_ANY_RESEARCHER)))
                .isEqualTo(Outcome.PERMIT);
        assertThat(outcome(LAB, "Observation", variant(Variant.DENY))).isEqualTo(Outcome.DENY);
        assertThat(outcome(LAB, "Observation", variant(Variant.EXPIRED_PERIOD))).isEqualTo(Outcome.NO_CONSENT);
        assertThat(outcome(LAB, "Observation", variant(Variant.WRONG_PURPOSE))).isEqualTo(Outcome.NO_CONSENT);
        assertThat(outcome(LAB, "Observation")).isEqualTo(Outcome.NO_CONSENT);
    }

    @Test
    void aRequesterWithAnotherPurpose_isNotPermitted() {
        assertThat(outcome(
                        new ResearchRequester(RESEARCHER, "HMARKT"),
                        "Observation",
                        variant(Variant.PERMIT_ORGANIZATION)))
                .isEqualTo(Outcome.NO_CONSENT);
    }

    @Test
    void revokedOrDeleted_releasesNothing() {
        Consent inactive = variant(Variant.PERMIT_ORGANIZATION).setStatus(Consent.ConsentState.INACTIVE);
        assertThat(outcome(LAB, "Observation", inactive)).isEqualTo(Outcome.NO_CONSENT);
        Consent rejected = variant(Variant.PERMIT_ORGANIZATION).setStatus(Consent.ConsentState.REJECTED);
        assertThat(outcome(LAB, "Observation", rejected)).isEqualTo(Outcome.NO_CONSENT);
        ConsentDecisionRecord deleted = FLATTENER.flatten(variant(Variant.PERMIT_ORGANIZATION), 2, true);
        assertThat(ConsentEvaluator.evaluate(List.of(deleted), LAB, "Observation", NOW)
                        .outcome())
                .isEqualTo(Outcome.NO_CONSENT);
    }

    @Test
    void denyWins_acrossConsents_andWithinALevel() {
        assertThat(outcome(LAB, "Observation", variant(Variant.PERMIT_ANY_RESEARCHER), variant(Variant.DENY)))
                .isEqualTo(Outcome.DENY);
        Consent both = variant(Variant.PERMIT_ANY_RESEARCHER);
        Consent.ProvisionComponent root = both.getProvision();
        root.addProvision().setType(Consent.ConsentProvisionType.PERMIT);
        root.addProvision().setType(Consent.ConsentProvisionType.DENY);
        assertThat(outcome(LAB, "Observation", both)).isEqualTo(Outcome.DENY);
    }

    @Test
    void nestedException_decides_overItsParent() {
        // Opt-out shape: permit research for anyone, except the lab for Claims.
        Consent optOut = variant(Variant.PERMIT_ANY_RESEARCHER);
        Consent.ProvisionComponent except = optOut.getProvision().addProvision();
        ResearchConsents.actor(except, RESEARCHER);
        except.addClass_(new Coding(ConsentEvaluator.RESOURCE_TYPES, "Claim", null));
        assertThat(outcome(LAB, "Claim", optOut)).isEqualTo(Outcome.DENY);
        assertThat(outcome(LAB, "Observation", optOut)).isEqualTo(Outcome.PERMIT);
        assertThat(outcome(OTHER_LAB, "Claim", optOut)).isEqualTo(Outcome.PERMIT);

        // Opt-in shape: deny everything, except research by the lab.
        Consent optIn = ResearchConsents.base(PATIENT);
        optIn.getProvision().setType(Consent.ConsentProvisionType.DENY);
        Consent.ProvisionComponent allow = optIn.getProvision().addProvision();
        ResearchConsents.actor(allow, RESEARCHER);
        allow.addPurpose(new Coding(ResearchConsents.ACT_REASON, "HRESCH", null));
        assertThat(outcome(LAB, "Observation", optIn)).isEqualTo(Outcome.PERMIT);
        assertThat(outcome(OTHER_LAB, "Observation", optIn)).isEqualTo(Outcome.DENY);
    }

    @Test
    void whatTheEngineCannotEvaluate_neverReleases() {
        Consent labelled = variant(Variant.PERMIT_ORGANIZATION);
        labelled.getProvision()
                .addSecurityLabel(new Coding("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "N", null));
        assertThat(outcome(LAB, "Observation", labelled)).isEqualTo(Outcome.NO_CONSENT);

        Consent otherClass = variant(Variant.PERMIT_ORGANIZATION);
        otherClass.getProvision().addClass_(new Coding("urn:ietf:bcp:13", "application/hl7-cda+xml", null));
        assertThat(outcome(LAB, "Observation", otherClass)).isEqualTo(Outcome.NO_CONSENT);

        Consent denyWithDataPeriod = variant(Variant.DENY);
        denyWithDataPeriod
                .getProvision()
                .getDataPeriod()
                .setStartElement(new org.hl7.fhir.r4.model.DateTimeType("2021-01-01"));
        assertThat(outcome(LAB, "Observation", variant(Variant.PERMIT_ORGANIZATION), denyWithDataPeriod))
                .isEqualTo(Outcome.DENY);
    }

    @Test
    void treatmentScopedConsents_doNotGovernResearch() {
        Consent treatment = variant(Variant.DENY);
        treatment.getScope().getCodingFirstRep().setCode("treatment");
        assertThat(outcome(LAB, "Observation", variant(Variant.PERMIT_ORGANIZATION), treatment))
                .isEqualTo(Outcome.PERMIT);
    }

    @Test
    void actionsOtherThanRelease_doNotPermit() {
        Consent correctOnly = variant(Variant.PERMIT_ORGANIZATION);
        correctOnly.getProvision().addAction().addCoding(new Coding(ConsentEvaluator.CONSENT_ACTION, "correct", null));
        assertThat(outcome(LAB, "Observation", correctOnly)).isEqualTo(Outcome.NO_CONSENT);
        correctOnly.getProvision().addAction().addCoding(new Coding(ConsentEvaluator.CONSENT_ACTION, "access", null));
        assertThat(outcome(LAB, "Observation", correctOnly)).isEqualTo(Outcome.PERMIT);
    }
}
