package org.fhiranchor.server.consent;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

/** The research consent variants the tests (and samples/consents) use. */
public final class ResearchConsents {

    static final String ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

    public enum Variant {
        PERMIT_ORGANIZATION,
        PERMIT_ANY_RESEARCHER,
        DENY,
        EXPIRED_PERIOD,
        WRONG_PURPOSE
    }

    private ResearchConsents() {}

    public static Consent of(Variant variant, String patientRef, String researcherRef) {
        Consent consent = base(patientRef);
        Consent.ProvisionComponent provision = consent.getProvision();
        provision.setType(Consent.ConsentProvisionType.PERMIT);
        provision.setPeriod(new Period()
                .setStartElement(new DateTimeType("2020-01-01"))
                .setEndElement(new DateTimeType("2099-12-31")));
        switch (variant) {
            case PERMIT_ORGANIZATION -> {
                actor(provision, researcherRef);
                provision.addPurpose(new Coding(ACT_REASON, "HRESCH", "healthcare research"));
            }
            case PERMIT_ANY_RESEARCHER -> provision.addPurpose(new Coding(ACT_REASON, "HRESCH", "healthcare research"));
            case DENY -> {
                provision.setType(Consent.ConsentProvisionType.DENY);
                provision.addPurpose(new Coding(ACT_REASON, "HRESCH", "healthcare research"));
            }
            case EXPIRED_PERIOD -> {
                provision.setPeriod(new Period()
                        .setStartElement(new DateTimeType("2000-01-01"))
                        .setEndElement(new DateTimeType("2001-01-01")));
                actor(provision, researcherRef);
                provision.addPurpose(new Coding(ACT_REASON, "HRESCH", "healthcare research"));
            }
            case WRONG_PURPOSE -> {
                actor(provision, researcherRef);
                provision.addPurpose(new Coding(ACT_REASON, "TREAT", "treatment"));
            }
        }
        return consent;
    }

    static Consent base(String patientRef) {
        Consent consent = new Consent();
        consent.setStatus(Consent.ConsentState.ACTIVE);
        consent.setScope(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/consentscope", "research", "Research")));
        consent.addCategory(new CodeableConcept(
                new Coding("http://loinc.org", "57016-8", "Privacy policy acknowledgment Document")));
        consent.setPatient(new Reference(patientRef));
        consent.setDateTimeElement(new DateTimeType("2024-05-01T10:00:00Z"));
        consent.setPolicyRule(
                new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN", null)));
        return consent;
    }

    static void actor(Consent.ProvisionComponent provision, String reference) {
        provision
                .addActor()
                .setRole(new CodeableConcept(new Coding(
                        "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", "information recipient")))
                .setReference(new Reference(reference));
    }
}
