package org.fhiranchor.server.support;

import java.util.Date;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/** Small, valid R4 resources for tests, tagged with a per-run identifier system. */
public final class ClinicalFixtures {

    public static final String LOINC = "http://loinc.org";

    private ClinicalFixtures() {}

    public static Patient patient(String identifierSystem, String mrn, String family, String birthDate) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(identifierSystem).setValue(mrn);
        patient.addName().setFamily(family).addGiven("Test");
        patient.setGender(Enumerations.AdministrativeGender.UNKNOWN);
        patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType(birthDate));
        return patient;
    }

    public static Observation observation(
            String patientRef, String loincCode, String category, String effective, String value) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.addCategory(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/observation-category", category, category)));
        observation.setCode(new CodeableConcept(new Coding(LOINC, loincCode, "test code " + loincCode)));
        observation.setSubject(new Reference(patientRef));
        observation.setEffective(new DateTimeType(effective));
        observation.setValue(new Quantity()
                .setValueElement(new org.hl7.fhir.r4.model.DecimalType(value))
                .setUnit("mg/dL")
                .setSystem("http://unitsofmeasure.org")
                .setCode("mg/dL"));
        return observation;
    }

    public static MedicationRequest medicationRequest(
            String patientRef, MedicationRequest.MedicationRequestStatus status) {
        MedicationRequest request = new MedicationRequest();
        request.setStatus(status);
        request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        request.setMedication(new CodeableConcept(new Coding(
                "http://www.nlm.nih.gov/research/umls/rxnorm", "834061", "Penicillin V Potassium 250 MG Oral Tablet")));
        request.setSubject(new Reference(patientRef));
        request.setAuthoredOn(new Date());
        return request;
    }

    public static Organization organization(String name) {
        Organization organization = new Organization();
        organization.setName(name);
        organization.setActive(true);
        return organization;
    }

    public static Claim claim(String patientRef, String providerRef) {
        Claim claim = new Claim();
        claim.setStatus(Claim.ClaimStatus.ACTIVE);
        claim.setType(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/claim-type", "institutional", null)));
        claim.setUse(Claim.Use.CLAIM);
        claim.setPatient(new Reference(patientRef));
        claim.setCreated(new Date());
        claim.setProvider(new Reference(providerRef));
        claim.setPriority(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/processpriority", "normal", null)));
        claim.addInsurance().setSequence(1).setFocal(true).setCoverage(new Reference().setDisplay("Self pay"));
        claim.setTotal(new Money().setValue(new java.math.BigDecimal("125.00")).setCurrency("USD"));
        return claim;
    }

    public static Consent researchConsent(String patientRef, Consent.ConsentState state) {
        Consent consent = new Consent();
        consent.setStatus(state);
        consent.setScope(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/consentscope", "research", "Research")));
        consent.addCategory(new CodeableConcept(new Coding(LOINC, "59284-0", "Patient Consent")));
        consent.setPatient(new Reference(patientRef));
        consent.setDateTime(new Date());
        consent.addPolicy().setUri("http://hl7.org/fhir/ConsentPolicy/opt-in");
        consent.getProvision().setType(Consent.ConsentProvisionType.PERMIT);
        return consent;
    }
}
