package org.fhiranchor.server.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.fhiranchor.anchor.chain.ConsentDecision;
import org.fhiranchor.anchor.chain.ConsentStatus;
import org.fhiranchor.server.support.SharedData;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Period;
import org.junit.jupiter.api.Test;

/** The flattening rules of docs/consent.md, on the HL7 R4 examples and the research variants. */
class ConsentFlattenerTest {

    static final Set<String> POLICIES = Set.copyOf(new ConsentProperties(
                    null,
                    null,
                    null,
                    1,
                    List.of(
                            "http://terminology.hl7.org/CodeSystem/v3-ActCode|OPTIN",
                            "http://terminology.hl7.org/CodeSystem/v3-ActCode|OPTINR",
                            "http://terminology.hl7.org/CodeSystem/v3-ActCode|OPTOUT",
                            "http://terminology.hl7.org/CodeSystem/v3-ActCode|OPTOUTE",
                            "http://terminology.hl7.org/CodeSystem/consentpolicycodes|hipaa-research"),
                    true,
                    null,
                    null)
            .acceptedPolicies());
    static final ConsentFlattener FLATTENER = new ConsentFlattener(POLICIES);
    static final ConsentKeys KEYS =
            ConsentKeys.fromHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    static Consent hl7(String name) throws Exception {
        Path file = SharedData.hl7Examples().resolve("Consent").resolve("Consent-consent-example-" + name + ".json");
        return FHIR.newJsonParser().parseResource(Consent.class, Files.readString(file));
    }

    @Test
    void everyHl7Example_flattens() throws Exception {
        try (Stream<Path> files = Files.list(SharedData.hl7Examples().resolve("Consent"))) {
            for (Path file : files.toList()) {
                Consent consent = FHIR.newJsonParser().parseResource(Consent.class, Files.readString(file));
                ConsentDecisionRecord record = FLATTENER.flatten(consent, 1, false);
                assertThat(record.rules()).as(file.toString()).isNotEmpty();
                assertThat(record.patient()).startsWith("Patient/");
                // Every record maps to an on-chain decision the contract accepts.
                ConsentDecision onChain = KEYS.onChain(record);
                assertThat(onChain.periodEnd() == 0 || onChain.periodEnd() >= onChain.periodStart())
                        .isTrue();
            }
        }
    }

    @Test
    void optIn_withoutType_isAPermitForThePeriod_endCoversItsWholeDay() throws Exception {
        ConsentDecisionRecord basic = FLATTENER.flatten(hl7("basic"), 1, false);
        assertThat(basic.permit()).isTrue();
        assertThat(basic.grantees()).containsExactly("*");
        assertThat(basic.period().start()).isEqualTo(Instant.parse("1964-01-01T00:00:00Z"));
        assertThat(basic.period().end()).isEqualTo(Instant.parse("2016-01-02T00:00:00Z"));
        // Before 1970 the contract's unsigned start is open.
        assertThat(KEYS.onChain(basic).periodStart()).isZero();
    }

    @Test
    void optOut_withoutType_isADenyOfThatActor() throws Exception {
        ConsentDecisionRecord out = FLATTENER.flatten(hl7("Out"), 1, false);
        assertThat(out.permit()).isFalse();
        assertThat(out.rules()).singleElement().satisfies(rule -> {
            assertThat(rule.effect()).isEqualTo(ConsentRule.Effect.DENY);
            assertThat(rule.actors()).containsExactly("Organization/f001");
        });
        assertThat(out.grantees()).isEmpty();
    }

    @Test
    void nestedProvisions_inheritWhatTheyDoNotState_andAreCutToTheParentPeriod() throws Exception {
        ConsentDecisionRecord smart = FLATTENER.flatten(hl7("smartonfhir"), 1, false);
        assertThat(smart.rules()).hasSize(2);
        ConsentRule nested = smart.rules().get(1);
        assertThat(nested.depth()).isEqualTo(1);
        assertThat(nested.effect()).isEqualTo(ConsentRule.Effect.PERMIT);
        assertThat(nested.classes()).containsExactly("http://hl7.org/fhir/resource-types|MedicationRequest");
        assertThat(nested.actions()).containsExactly("http://terminology.hl7.org/CodeSystem/consentaction|access");
        assertThat(nested.period()).isEqualTo(smart.rules().get(0).period());

        ConsentDecisionRecord emergency = FLATTENER.flatten(hl7("Emergency"), 1, false);
        assertThat(emergency.rules().get(1).purposes())
                .containsExactly("http://terminology.hl7.org/CodeSystem/v3-ActReason|ETREAT");

        // pkb: OPTOUT root (deny), nested provisions without type are exceptions: permits.
        ConsentDecisionRecord pkb = FLATTENER.flatten(hl7("pkb"), 1, false);
        assertThat(pkb.rules().get(0).effect()).isEqualTo(ConsentRule.Effect.DENY);
        assertThat(pkb.rules().subList(1, pkb.rules().size())).allSatisfy(rule -> {
            assertThat(rule.effect()).isEqualTo(ConsentRule.Effect.PERMIT);
            assertThat(rule.unevaluated()).contains("securityLabel");
        });
    }

    @Test
    void researchVariants_flatten() {
        ConsentDecisionRecord org = FLATTENER.flatten(
                ResearchConsents.of(ResearchConsents.Variant.PERMIT_ORGANIZATION, "Patient/p1", "Organization/r1"),
                3,
                false);
        assertThat(org.permit()).isTrue();
        assertThat(org.grantees()).containsExactly("Organization/r1");
        assertThat(org.purposes()).containsExactly(ConsentEvaluator.ACT_REASON + "|HRESCH");
        assertThat(org.chainStatus()).isEqualTo(ConsentStatus.ACTIVE);

        ConsentDecisionRecord any = FLATTENER.flatten(
                ResearchConsents.of(ResearchConsents.Variant.PERMIT_ANY_RESEARCHER, "Patient/p1", "Organization/r1"),
                1,
                false);
        assertThat(any.grantees()).containsExactly("*");

        ConsentDecisionRecord deleted = FLATTENER.flatten(
                ResearchConsents.of(ResearchConsents.Variant.PERMIT_ORGANIZATION, "Patient/p1", "Organization/r1"),
                4,
                true);
        assertThat(deleted.status()).isEqualTo("inactive");
        assertThat(deleted.inForce()).isFalse();
        assertThat(KEYS.onChain(deleted).status()).isEqualTo(ConsentStatus.INACTIVE);
    }

    @Test
    void decisionHash_isStable_dependsOnEveryField_andOnTheKey() {
        Consent consent =
                ResearchConsents.of(ResearchConsents.Variant.PERMIT_ORGANIZATION, "Patient/p1", "Organization/r1");
        consent.setId("c1");
        ConsentDecisionRecord record = FLATTENER.flatten(consent, 1, false);
        byte[] key = KEYS.consentKey("c1");
        assertThat(record.decisionHash(key))
                .isEqualTo(FLATTENER.flatten(consent, 1, false).decisionHash(key));
        assertThat(record.canonicalJson(key))
                .startsWith("{\"consent\":\"Consent/c1\",\"consentKey\":\""
                        + HexFormat.of().formatHex(key) + "\"");
        consent.getProvision().getPurposeFirstRep().setCode("HMARKT");
        assertThat(FLATTENER.flatten(consent, 1, false).decisionHash(key)).isNotEqualTo(record.decisionHash(key));
        assertThat(record.decisionHash(KEYS.consentKey("c2"))).isNotEqualTo(record.decisionHash(key));
    }

    @Test
    void onChain_carriesKeyedHashesOnly() {
        Consent consent =
                ResearchConsents.of(ResearchConsents.Variant.PERMIT_ORGANIZATION, "Patient/p1", "Organization/r1");
        consent.setId("c1");
        ConsentDecision d = KEYS.onChain(FLATTENER.flatten(consent, 2, false));
        assertThat(d.consentKey()).isEqualTo(KEYS.consentKey("c1"));
        assertThat(d.patientKey()).isEqualTo(KEYS.patientKey("Patient/p1"));
        assertThat(d.granteeKeys()).containsExactly(KEYS.granteeKey("Organization/r1"));
        assertThat(d.purposeCodes()).containsExactly(ConsentKeys.purposeCode(ConsentEvaluator.ACT_REASON + "|HRESCH"));
        ConsentKeys other = ConsentKeys.fromHex("ff112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        assertThat(other.patientKey("Patient/p1")).isNotEqualTo(d.patientKey());
        assertThat(KEYS.toString()).doesNotContain("0011");
    }

    @Test
    void badInput_isRefusedWithTheReason() {
        Consent noPatient =
                ResearchConsents.of(ResearchConsents.Variant.PERMIT_ORGANIZATION, "Patient/p1", "Organization/r1");
        noPatient.setPatient(null);
        assertThatThrownBy(() -> FLATTENER.validate(noPatient))
                .isInstanceOf(InvalidConsentException.class)
                .hasMessageContaining("Consent.patient");

        Consent notAPatient =
                ResearchConsents.of(ResearchConsents.Variant.PERMIT_ORGANIZATION, "Group/g1", "Organization/r1");
        assertThatThrownBy(() -> FLATTENER.validate(notAPatient)).hasMessageContaining("Consent.patient");

        Consent unknownPolicy =
                ResearchConsents.of(ResearchConsents.Variant.PERMIT_ORGANIZATION, "Patient/p1", "Organization/r1");
        unknownPolicy.getPolicyRule().getCodingFirstRep().setCode("SOMETHING-ELSE");
        assertThatThrownBy(() -> FLATTENER.validate(unknownPolicy)).hasMessageContaining("Unknown consent policy");

        Consent unknownUri =
                ResearchConsents.of(ResearchConsents.Variant.PERMIT_ORGANIZATION, "Patient/p1", "Organization/r1");
        unknownUri.addPolicy().setUri("https://example.org/policy/whatever");
        assertThatThrownBy(() -> FLATTENER.validate(unknownUri)).hasMessageContaining("Unknown consent policy");

        Consent noPolicy =
                ResearchConsents.of(ResearchConsents.Variant.PERMIT_ORGANIZATION, "Patient/p1", "Organization/r1");
        noPolicy.setPolicyRule(null);
        assertThatThrownBy(() -> FLATTENER.validate(noPolicy)).hasMessageContaining("policyRule or Consent.policy");

        Consent backwards =
                ResearchConsents.of(ResearchConsents.Variant.PERMIT_ORGANIZATION, "Patient/p1", "Organization/r1");
        backwards
                .getProvision()
                .setPeriod(new Period()
                        .setStartElement(new DateTimeType("2030-01-01"))
                        .setEndElement(new DateTimeType("2020-01-01")));
        assertThatThrownBy(() -> FLATTENER.validate(backwards)).hasMessageContaining("end is before start");

        Consent nestedOutside =
                ResearchConsents.of(ResearchConsents.Variant.PERMIT_ORGANIZATION, "Patient/p1", "Organization/r1");
        nestedOutside
                .getProvision()
                .addProvision()
                .setType(Consent.ConsentProvisionType.DENY)
                .setPeriod(new Period().setStartElement(new DateTimeType("2100-01-01")));
        assertThatThrownBy(() -> FLATTENER.validate(nestedOutside)).hasMessageContaining("outside its parent");

        Consent noType =
                ResearchConsents.of(ResearchConsents.Variant.PERMIT_ORGANIZATION, "Patient/p1", "Organization/r1");
        noType.getProvision().setType(null);
        noType.getPolicyRule()
                .getCodingFirstRep()
                .setSystem("http://terminology.hl7.org/CodeSystem/consentpolicycodes")
                .setCode("hipaa-research");
        assertThatThrownBy(() -> FLATTENER.validate(noType)).hasMessageContaining("provision.type is required");

        Consent noStatus =
                ResearchConsents.of(ResearchConsents.Variant.PERMIT_ORGANIZATION, "Patient/p1", "Organization/r1");
        noStatus.setStatus(null);
        assertThatThrownBy(() -> FLATTENER.validate(noStatus)).hasMessageContaining("status");
    }

    @Test
    void purposeWithoutSystem_isKeptAsWritten() {
        Consent consent =
                ResearchConsents.of(ResearchConsents.Variant.PERMIT_ANY_RESEARCHER, "Patient/p1", "Organization/r1");
        consent.getProvision().getPurpose().clear();
        consent.getProvision().addPurpose(new Coding(null, "HRESCH", null));
        assertThat(FLATTENER.flatten(consent, 1, false).purposes()).containsExactly("|HRESCH");
    }
}
