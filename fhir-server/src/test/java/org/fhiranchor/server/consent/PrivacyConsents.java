package org.fhiranchor.server.consent;

import java.util.Date;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

/** Patient-privacy Consents for tests: who may (permit) or may not (deny) read a patient's record. */
public final class PrivacyConsents {

    private PrivacyConsents() {}

    public static Consent privacy(String patientRef, Consent.ConsentProvisionType type, String... actors) {
        Consent consent = new Consent();
        consent.setStatus(Consent.ConsentState.ACTIVE);
        consent.setScope(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", "Privacy Consent")));
        consent.addCategory(new CodeableConcept(new Coding("http://loinc.org", "59284-0", "Patient Consent")));
        consent.setPatient(new Reference(patientRef));
        consent.setDateTime(new Date());
        consent.addPolicy()
                .setUri(
                        type == Consent.ConsentProvisionType.PERMIT
                                ? "http://hl7.org/fhir/ConsentPolicy/opt-in"
                                : "http://hl7.org/fhir/ConsentPolicy/opt-out");
        consent.getProvision().setType(type);
        for (String actor : actors) {
            consent.getProvision()
                    .addActor()
                    .setRole(new CodeableConcept(
                            new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "PRCP", null)))
                    .setReference(new Reference(actor));
        }
        return consent;
    }

    public static Consent expired(Consent consent) {
        consent.getProvision()
                .setPeriod(new Period()
                        .setStartElement(new org.hl7.fhir.r4.model.DateTimeType("2019-01-01"))
                        .setEndElement(new org.hl7.fhir.r4.model.DateTimeType("2020-01-01")));
        return consent;
    }
}
