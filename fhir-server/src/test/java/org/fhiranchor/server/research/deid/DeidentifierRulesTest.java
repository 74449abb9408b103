package org.fhiranchor.server.research.deid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Age;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.ExplanationOfBenefit;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DeidentifierRulesTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Instant EXPORT_TIME = Instant.parse("2026-11-21T10:00:00Z");
    private static final DeidentificationProfile YEAR = DeidentificationProfile.load("safe-harbor");
    private static final DeidentificationProfile SHIFT = DeidentificationProfile.load("safe-harbor-date-shift");
    private static final String AGE_FLAG = "urn:fhir-anchor:deidentification:age-90-or-older";
    private static final String ISO = "\\d{4}-\\d{2}-\\d{2}.*";
    private static List<SyntheaBundles.PatientData> bundles;

    @BeforeAll
    static void read() throws Exception {
        bundles = new ArrayList<>();
        for (var file : SyntheaBundles.files()) {
            SyntheaBundles.PatientData data = SyntheaBundles.read(FHIR, file);
            if (data.patient() != null && bundles.size() < 6) {
                bundles.add(data);
            }
        }
    }

    private static byte[] key(String label) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(label.getBytes(StandardCharsets.UTF_8));
    }

    private static String owner(SyntheaBundles.PatientData data) {
        return "Patient/" + data.patient().getIdElement().getIdPart();
    }

    @Test
    void observationCodesAndValuesAreKeptExactly() throws Exception {
        Deidentifier deidentifier = new Deidentifier(FHIR, YEAR, key("codes"), EXPORT_TIME);
        int checked = 0;
        for (Resource resource : bundles.get(0).resources()) {
            if (resource instanceof Observation observation && observation.hasValueQuantity()) {
                Observation out = (Observation) deidentifier.deidentify(observation, owner(bundles.get(0)));
                assertEquals(
                        observation.getCode().getCoding().size(),
                        out.getCode().getCoding().size());
                for (int i = 0; i < observation.getCode().getCoding().size(); i++) {
                    Coding in = observation.getCode().getCoding().get(i);
                    assertTrue(in.equalsDeep(out.getCode().getCoding().get(i)), "coding kept whole");
                }
                assertEquals(observation.getCode().getText(), out.getCode().getText());
                assertEquals(
                        observation.getValueQuantity().getValueElement().getValueAsString(),
                        out.getValueQuantity().getValueElement().getValueAsString(),
                        "value with its exact scale");
                assertEquals(
                        observation.getValueQuantity().getUnit(),
                        out.getValueQuantity().getUnit());
                assertEquals(
                        observation.getValueQuantity().getCode(),
                        out.getValueQuantity().getCode());
                assertEquals(observation.getStatus(), out.getStatus());
                assertTrue(observation.getCategoryFirstRep().equalsDeep(out.getCategoryFirstRep()));
                checked++;
            }
        }
        assertTrue(checked > 10, "observations with a quantity: " + checked);
    }

    @Test
    void pseudonymsAreStableWithinAnExportAndDifferAcrossExports() throws Exception {
        Deidentifier one = new Deidentifier(FHIR, YEAR, key("export-1"), EXPORT_TIME);
        Deidentifier sameKey = new Deidentifier(FHIR, SHIFT, key("export-1"), EXPORT_TIME);
        Deidentifier other = new Deidentifier(FHIR, YEAR, key("export-2"), EXPORT_TIME);
        Patient patient = bundles.get(0).patient();
        String source = "Patient/" + patient.getIdElement().getIdPart();
        String pseudonym = one.pseudonymize(source);
        assertTrue(pseudonym.matches("Patient/[0-9a-f]{32}"), "a valid FHIR id");
        assertEquals(pseudonym, one.pseudonymize(source));
        assertEquals(pseudonym, one.pseudonymize(source + "/_history/3"), "the version is dropped");
        assertEquals(pseudonym, sameKey.pseudonymize(source), "the key decides, not the profile");
        assertNotEquals(pseudonym, other.pseudonymize(source));
        assertNotEquals(
                pseudonym.substring(8),
                one.pseudonymize("Observation/" + patient.getIdElement().getIdPart())
                        .substring(12),
                "the type is part of the pseudonym");
        assertEquals(
                pseudonym,
                "Patient/" + one.deidentify(patient, source).getIdElement().getIdPart());
        assertThrows(IllegalArgumentException.class, () -> one.pseudonymize("http://x.org/fhir/Patient/1"));
        assertThrows(IllegalArgumentException.class, () -> one.pseudonymize("NoSuchType/1"));
        assertThrows(IllegalArgumentException.class, () -> new Deidentifier(FHIR, YEAR, new byte[16], EXPORT_TIME));
    }

    @Test
    void dateShiftIsOnePerPatientKeepsIntervalsPrecisionAndZone() throws Exception {
        Deidentifier deidentifier = new Deidentifier(FHIR, SHIFT, key("shift"), EXPORT_TIME);
        Deidentifier otherExport = new Deidentifier(FHIR, SHIFT, key("shift-2"), EXPORT_TIME);
        Set<Long> offsets = new HashSet<>();
        List<Long> offsetsOtherExport = new ArrayList<>();
        List<Long> offsetsThisExport = new ArrayList<>();
        for (SyntheaBundles.PatientData data : bundles) {
            Long offset = null;
            LocalDate previousIn = null;
            LocalDate previousOut = null;
            int encounters = 0;
            for (Resource resource : data.resources()) {
                if (!(resource instanceof Encounter encounter)
                        || !encounter.getPeriod().hasStart()) {
                    continue;
                }
                String in = encounter.getPeriod().getStartElement().getValueAsString();
                String out = ((Encounter) deidentifier.deidentify(encounter, owner(data)))
                        .getPeriod()
                        .getStartElement()
                        .getValueAsString();
                assertTrue(out.matches(ISO));
                assertEquals(in.substring(10), out.substring(10), "time of day, fraction and zone kept");
                long days = ChronoUnit.DAYS.between(
                        LocalDate.parse(in.substring(0, 10)), LocalDate.parse(out.substring(0, 10)));
                if (offset == null) {
                    offset = days;
                }
                assertEquals(offset, days, "one offset for all of a patient's resources");
                if (previousIn != null) {
                    assertEquals(
                            ChronoUnit.DAYS.between(previousIn, LocalDate.parse(in.substring(0, 10))),
                            ChronoUnit.DAYS.between(previousOut, LocalDate.parse(out.substring(0, 10))),
                            "intervals preserved");
                }
                previousIn = LocalDate.parse(in.substring(0, 10));
                previousOut = LocalDate.parse(out.substring(0, 10));
                encounters++;
            }
            assertTrue(encounters > 1);
            assertTrue(Math.abs(offset) <= SHIFT.maxShiftDays());
            Patient patient = (Patient) deidentifier.deidentify(data.patient(), owner(data));
            if (patient.hasBirthDate()) {
                assertEquals(
                        offset,
                        ChronoUnit.DAYS.between(
                                LocalDate.parse(
                                        data.patient().getBirthDateElement().getValueAsString()),
                                LocalDate.parse(patient.getBirthDateElement().getValueAsString())),
                        "the Patient's own dates too");
            }
            offsets.add(offset);
            offsetsThisExport.add(offset);
            Encounter first = (Encounter) data.resources().stream()
                    .filter(r -> r instanceof Encounter)
                    .findFirst()
                    .orElseThrow();
            String shiftedElsewhere = ((Encounter) otherExport.deidentify(first, owner(data)))
                    .getPeriod()
                    .getStartElement()
                    .getValueAsString();
            offsetsOtherExport.add(ChronoUnit.DAYS.between(
                    LocalDate.parse(first.getPeriod()
                            .getStartElement()
                            .getValueAsString()
                            .substring(0, 10)),
                    LocalDate.parse(shiftedElsewhere.substring(0, 10))));
        }
        assertTrue(offsets.size() > 1, "patients get different offsets");
        assertNotEquals(offsetsThisExport, offsetsOtherExport, "another export key, other offsets");
    }

    @Test
    void monthAndYearPrecisionKeepTheirPrecisionWhenShifted() {
        String month = DateRules.shift("1987-05", 40);
        String year = DateRules.shift("1987", -200);
        assertEquals(7, month.length());
        assertEquals(LocalDate.of(1987, 5, 15).plusDays(40).toString().substring(0, 7), month);
        assertEquals(4, year.length());
        assertEquals(String.valueOf(LocalDate.of(1987, 7, 2).minusDays(200).getYear()), year);
        assertEquals("1987-05-22T10:00:00.123+02:00", DateRules.shift("1987-05-12T10:00:00.123+02:00", 10));
    }

    @Test
    void resourcesInNoPatientCompartmentGetYearsEvenWhenShifting() throws Exception {
        Deidentifier deidentifier = new Deidentifier(FHIR, SHIFT, key("no-owner"), EXPORT_TIME);
        Encounter encounter = (Encounter) bundles.get(0).resources().stream()
                .filter(r -> r instanceof Encounter)
                .findFirst()
                .orElseThrow();
        Encounter out = (Encounter) deidentifier.deidentify(encounter, null);
        assertEquals(
                encounter.getPeriod().getStartElement().getValueAsString().substring(0, 4),
                out.getPeriod().getStartElement().getValueAsString());
        Observation observation = (Observation) bundles.get(0).resources().stream()
                .filter(r -> r instanceof Observation o && o.hasIssued())
                .findFirst()
                .orElseThrow();
        String issued = ((Observation) deidentifier.deidentify(observation, null))
                .getIssuedElement()
                .getValueAsString();
        assertEquals(observation.getIssuedElement().getValueAsString().substring(0, 4) + "-01-01T00:00:00Z", issued);
        assertThrows(IllegalArgumentException.class, () -> deidentifier.deidentify(encounter, "Observation/1"));
    }

    @Test
    void agesOfNinetyOrMoreAreAggregated() throws Exception {
        Deidentifier deidentifier = new Deidentifier(FHIR, YEAR, key("ages"), EXPORT_TIME);
        LocalDate exportDay = LocalDate.of(2026, 11, 21);
        Patient ninety = new Patient()
                .setBirthDateElement(new DateType(exportDay.minusYears(90).toString()));
        Patient almost = new Patient()
                .setBirthDateElement(
                        new DateType(exportDay.minusYears(90).plusDays(1).toString()));
        Patient yearOnly = new Patient().setBirthDateElement(new DateType(String.valueOf(exportDay.getYear() - 90)));
        Patient diedAt80 = new Patient().setBirthDateElement(new DateType("1930-01-01"));
        diedAt80.setDeceased(new org.hl7.fhir.r4.model.DateTimeType("2010-06-01"));
        for (Patient p : List.of(ninety, almost, yearOnly, diedAt80)) {
            p.setId("p" + p.hashCode());
        }
        assertTrue(flagged(deidentifier.deidentify(ninety, null)));
        assertFalse(((Patient) deidentifier.deidentify(ninety, null)).hasBirthDate());
        assertFalse(flagged(deidentifier.deidentify(almost, null)));
        assertEquals(
                String.valueOf(exportDay.getYear() - 90),
                ((Patient) deidentifier.deidentify(almost, null))
                        .getBirthDateElement()
                        .getValueAsString());
        assertTrue(flagged(deidentifier.deidentify(yearOnly, null)), "a year alone may be 90: doubt counts as older");
        assertFalse(flagged(deidentifier.deidentify(diedAt80, null)), "age at death");

        Condition condition = new Condition();
        condition.setOnset(new Age()
                .setValue(1000)
                .setUnit("mo")
                .setSystem("http://unitsofmeasure.org")
                .setCode("mo"));
        Age young = ((Condition) deidentifier.deidentify(condition, null)).getOnsetAge();
        assertEquals(0, young.getValue().compareTo(java.math.BigDecimal.valueOf(1000)));
        assertFalse(young.hasComparator());
        condition.setOnset(new Age()
                .setValue(1100)
                .setUnit("mo")
                .setSystem("http://unitsofmeasure.org")
                .setCode("mo"));
        Age old = ((Condition) deidentifier.deidentify(condition, null)).getOnsetAge();
        assertEquals(0, old.getValue().compareTo(java.math.BigDecimal.valueOf(90)));
        assertEquals("a", old.getCode());
        assertEquals(org.hl7.fhir.r4.model.Quantity.QuantityComparator.GREATER_OR_EQUAL, old.getComparator());
    }

    private static boolean flagged(Resource patient) {
        return ((Patient) patient).hasExtension(AGE_FLAG);
    }

    @Test
    void extensionsReferencesAndContainedResources() throws Exception {
        Deidentifier deidentifier = new Deidentifier(FHIR, YEAR, key("refs"), EXPORT_TIME);
        SyntheaBundles.PatientData data = bundles.get(0);
        Patient patient = (Patient) deidentifier.deidentify(data.patient(), owner(data));
        Set<String> urls = new HashSet<>();
        patient.getExtension().forEach(e -> urls.add(e.getUrl()));
        Set<String> sourceUrls = new HashSet<>();
        data.patient().getExtension().forEach(e -> sourceUrls.add(e.getUrl()));
        sourceUrls.retainAll(Set.of(
                "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race",
                "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex"));
        assertFalse(sourceUrls.isEmpty());
        assertTrue(urls.containsAll(sourceUrls), "US Core race and birth sex kept");
        assertTrue(
                data.patient()
                        .getExtensionByUrl("http://hl7.org/fhir/us/core/StructureDefinition/us-core-race")
                        .equalsDeep(patient.getExtensionByUrl(
                                "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race")),
                "kept whole");
        assertFalse(urls.contains("http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName"));
        assertFalse(patient.hasMeta() && patient.getMeta().hasTag(), "meta tags go");

        ExplanationOfBenefit eob = (ExplanationOfBenefit) data.resources().stream()
                .filter(r -> r instanceof ExplanationOfBenefit e && e.hasContained())
                .findFirst()
                .orElseThrow();
        ExplanationOfBenefit out = (ExplanationOfBenefit) deidentifier.deidentify(eob, owner(data));
        String json = FHIR.newJsonParser().encodeResourceToString(out);
        ExplanationOfBenefit parsed = FHIR.newJsonParser().parseResource(ExplanationOfBenefit.class, json);
        assertEquals(eob.getContained().size(), parsed.getContained().size());
        String referral = out.getReferral().getReference();
        assertTrue(referral.matches("#c\\d+"), "local reference follows the contained resource's new id");
        assertTrue(json.contains("\"id\":\"" + referral.substring(1) + "\""));

        Observation absolute = new Observation();
        absolute.setSubject(new Reference("http://other.example.org/fhir/Patient/123"));
        absolute.setEncounter(new Reference("urn:uuid:5a1c6a0e-4f7b-4a43-9d1a-2f8f3c2b1a00"));
        absolute.addBasedOn(new Reference("Patient/abc/_history/2"));
        Observation outAbsolute = (Observation) deidentifier.deidentify(absolute, null);
        assertFalse(outAbsolute.hasSubject());
        assertFalse(outAbsolute.hasEncounter());
        assertEquals(
                deidentifier.pseudonymize("Patient/abc"),
                outAbsolute.getBasedOnFirstRep().getReference());
    }

    @Test
    void questionnaireLinkIdsSurviveAtAnyDepthButAnswersInTextDoNot() throws Exception {
        Deidentifier deidentifier = new Deidentifier(FHIR, YEAR, key("qr"), EXPORT_TIME);
        QuestionnaireResponse response = new QuestionnaireResponse();
        response.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
        QuestionnaireResponse.QuestionnaireResponseItemComponent item =
                response.addItem().setLinkId("1");
        item.addAnswer()
                .setValue(new org.hl7.fhir.r4.model.StringType("my neighbour Jane Roe"))
                .addItem()
                .setLinkId("1.1")
                .addAnswer()
                .setValue(new org.hl7.fhir.r4.model.IntegerType(7));
        item.addItem().setLinkId("1.2").setText("free text question");
        QuestionnaireResponse out = (QuestionnaireResponse) deidentifier.deidentify(response, null);
        String json = FHIR.newJsonParser().encodeResourceToString(out);
        assertTrue(json.contains("\"linkId\":\"1\"")
                && json.contains("\"linkId\":\"1.1\"")
                && json.contains("\"linkId\":\"1.2\""));
        assertTrue(json.contains("\"valueInteger\":7"));
        assertFalse(json.contains("Jane Roe"));
        assertFalse(json.contains("free text question"));
    }
}
