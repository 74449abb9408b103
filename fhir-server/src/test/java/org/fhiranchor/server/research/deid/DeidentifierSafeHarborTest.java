package org.fhiranchor.server.research.deid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Account;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Age;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Media;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A fixture built from a real Synthea patient plus added elements, carrying every Safe Harbor
 * identifier kind FHIR can carry; after de-identification none of its identifying strings may appear
 * anywhere in the JSON of the output.
 */
class DeidentifierSafeHarborTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Instant EXPORT_TIME = Instant.parse("2026-11-21T10:00:00Z");
    private static final String VIN = "1HGCM82633A004352";
    private static final String IP = "192.168.17.201";

    /** identifying value -> the Safe Harbor kind it stands for (the kind is what a failure prints). */
    private static final Map<String, String> SECRETS = new LinkedHashMap<>();

    private static final List<Resource> INPUT = new ArrayList<>();
    private static Patient patient;
    private static String owningPatient;

    @BeforeAll
    static void buildFixture() throws Exception {
        SyntheaBundles.PatientData data = SyntheaBundles.firstPatient(FHIR);
        patient = data.patient().copy();
        owningPatient = "Patient/" + patient.getIdElement().getIdPart();
        Reference subject = new Reference(owningPatient);

        // What Synthea already put there: read, not hard-coded.
        secret(patient.getIdElement().getIdPart(), "source id (other unique number)");
        for (HumanName name : patient.getName()) {
            secret(name.getFamily(), "name");
            name.getGiven().forEach(g -> secret(g.getValue(), "name"));
        }
        for (Identifier identifier : patient.getIdentifier()) {
            secret(
                    identifier.getValue(),
                    "SSN / MRN / driver's license / passport: "
                            + identifier.getType().getText());
        }
        patient.getTelecom().forEach(t -> secret(t.getValue(), "telephone"));
        for (Address address : patient.getAddress()) {
            address.getLine().forEach(l -> secret(l.getValue(), "street address"));
            secret(address.getCity(), "city");
            secret(address.getPostalCode(), "zip code");
            for (Extension geo : address.getExtensionsByUrl("http://hl7.org/fhir/StructureDefinition/geolocation")) {
                geo.getExtension().forEach(e -> secret(((DecimalType) e.getValue()).getValueAsString(), "geolocation"));
            }
        }
        for (Extension extension : patient.getExtension()) {
            if (extension.getValue() instanceof StringType s && s.fhirType().equals("string")) {
                secret(s.getValue(), "relative's name (" + extension.getUrl() + ")");
            } else if (extension.getValue() instanceof Address a) {
                secret(a.getCity(), "birth place");
            }
        }

        // Added: every other kind.
        patient.setBirthDateElement(new DateType("1921-03-14"));
        secret("1921-03-14", "birth date (age over 89)");
        patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.FAX).setValue(secret("555-201-7788", "fax"));
        patient.addTelecom()
                .setSystem(ContactPoint.ContactPointSystem.EMAIL)
                .setValue(secret("osvaldo.fixture@example.org", "email"));
        patient.addTelecom()
                .setSystem(ContactPoint.ContactPointSystem.URL)
                .setValue(secret("https://home.example.org/~fixture", "personal URL"));
        patient.addIdentifier()
                .setSystem("urn:fixture:health-plan")
                .setValue(secret("HPB-77341298", "health plan beneficiary number"));
        patient.addPhoto(new Attachment()
                .setContentType("image/jpeg")
                .setData(secret("FULL-FACE-PHOTO-BYTES", "full-face photo").getBytes(StandardCharsets.UTF_8))
                .setUrl(secret("http://photos.example.org/face-5521.jpg", "URL of a photo")));
        secret(
                java.util.Base64.getEncoder().encodeToString("FULL-FACE-PHOTO-BYTES".getBytes(StandardCharsets.UTF_8)),
                "full-face photo (base64)");
        Patient.ContactComponent contact = patient.addContact();
        contact.setName(new HumanName().setFamily(secret("Contactperson-Zyx", "relative's name")));
        contact.addTelecom()
                .setSystem(ContactPoint.ContactPointSystem.PHONE)
                .setValue(secret("555-909-1234", "relative's phone"));
        Narrative narrative = new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED);
        narrative.setDivAsString(
                "<div xmlns=\"http://www.w3.org/1999/xhtml\">Car " + VIN + " seen at " + IP + "</div>");
        patient.setText(narrative);
        secret(VIN, "vehicle identifier (free text)");
        secret(IP, "IP address (free text)");
        patient.addExtension(
                "http://example.org/fhir/StructureDefinition/favorite-number",
                new StringType(secret("CustomID-4471", "any other number (extension)")));
        INPUT.add(patient);

        Encounter encounter = (Encounter) first(data, "Encounter").copy();
        encounter.setSubject(new Reference(owningPatient)
                .setDisplay(secret("Fixture Displayname", "name in Reference.display"))
                .setIdentifier(new Identifier().setValue(secret("999-12-3456", "SSN in Reference.identifier"))));
        secret(encounter.getPeriod().getStartElement().getValueAsString().substring(0, 10), "admission date");
        INPUT.add(encounter);

        Observation observation = (Observation) data.resources().stream()
                .filter(r -> r instanceof Observation o && o.hasValueQuantity())
                .findFirst()
                .orElseThrow()
                .copy();
        observation.addNote(new Annotation()
                .setText("Drove vehicle VIN " + VIN + " plate " + secret("7TRR812", "license plate")
                        + "; portal login from " + IP));
        observation.addIdentifier().setValue(secret("LAB-ACC-99120033", "any other number (accession)"));
        secret(observation.getEffectiveDateTimeType().getValueAsString().substring(0, 10), "date of service");
        INPUT.add(observation);

        Observation freeText = new Observation();
        freeText.setId("fixture-obs-text");
        freeText.setStatus(Observation.ObservationStatus.FINAL).setCode(new CodeableConcept().setText("note"));
        freeText.setSubject(subject).setValue(new StringType("called from " + IP + " about " + VIN));
        INPUT.add(freeText);

        Condition condition = new Condition();
        condition.setId("fixture-condition");
        condition
                .setSubject(subject)
                .setOnset(new Age()
                        .setValue(95)
                        .setUnit("a")
                        .setSystem("http://unitsofmeasure.org")
                        .setCode("a"));
        INPUT.add(condition);

        Coverage coverage = new Coverage();
        coverage.setId("fixture-coverage");
        coverage.setBeneficiary(subject).setSubscriberId(secret("SUB-44190232", "health plan subscriber id"));
        coverage.addIdentifier().setValue(secret("MBI-1EG4TE5MK73", "health plan beneficiary number"));
        INPUT.add(coverage);

        Account account = new Account();
        account.setId("fixture-account");
        account.addSubject(subject)
                .setName("Household of " + patient.getNameFirstRep().getFamily());
        account.addIdentifier().setValue(secret("ACCT-5512093", "account number"));
        INPUT.add(account);

        Practitioner practitioner = new Practitioner();
        practitioner.setId("fixture-practitioner");
        practitioner
                .addIdentifier()
                .setSystem("urn:fixture:license")
                .setValue(secret("LIC-MA-448812", "license number"));
        practitioner.addQualification().addIdentifier().setValue(secret("CERT-BOARD-55190", "certificate number"));
        INPUT.add(practitioner);

        Device device = new Device();
        device.setId("fixture-device");
        device.setPatient(subject);
        device.addUdiCarrier()
                .setDeviceIdentifier(secret("09504000059118", "device identifier (UDI)"))
                .setCarrierHRF(secret("(01)09504000059118(21)SN88120XQ", "device UDI carrier"));
        device.setSerialNumber(secret("SN-88120-XQ", "device serial number"));
        device.setLotNumber(secret("LOT-7719", "device lot number"));
        device.setDistinctIdentifier(secret("DI-33910", "device distinct identifier"));
        device.setUrl(secret("http://device.example.org/pump/88120", "device URL"));
        device.addIdentifier().setValue(secret("DEV-ASSET-3321", "device identifier"));
        INPUT.add(device);

        Media media = new Media();
        media.setId("fixture-media");
        media.setSubject(subject).setStatus(Media.MediaStatus.COMPLETED);
        media.setContent(new Attachment()
                .setContentType("image/png")
                .setUrl(secret("http://images.example.org/retina-scan-osvaldo.png", "biometric image URL"))
                .setData(secret("RETINA-SCAN-BYTES", "biometric").getBytes(StandardCharsets.UTF_8)));
        INPUT.add(media);

        ImagingStudy study = new ImagingStudy();
        study.setId("fixture-study");
        study.setSubject(subject).setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
        study.addSeries()
                .setUid(secret("2.25.81234567890123456789", "DICOM series UID"))
                .addInstance()
                .setUid(secret("2.25.99887766554433221100", "DICOM instance UID"));
        INPUT.add(study);

        Endpoint endpoint = new Endpoint();
        endpoint.setId("fixture-endpoint");
        endpoint.setAddress(secret("https://ehr.example.org/fhir/fixture-graham", "URL (Endpoint.address)"));
        INPUT.add(endpoint);

        Location location = new Location();
        location.setId("fixture-location");
        location.setName(secret("Fixture Family Farmhouse", "location name"));
        location.setAddress(new Address()
                .addLine(secret("77 Hidden Lane", "street address"))
                .setCity(secret("Smallville", "city"))
                .setPostalCode(secret("01234", "zip code"))
                .setState("MA")
                .setCountry("US"));
        location.setPosition(new Location.LocationPositionComponent()
                .setLatitude(new BigDecimal(secret("42.123457", "geolocation")))
                .setLongitude(new BigDecimal(secret("-71.654321", "geolocation"))));
        INPUT.add(location);

        RelatedPerson relative = new RelatedPerson();
        relative.setId("fixture-relative");
        relative.setPatient(subject).addName().setFamily(secret("Relatedname-Qwv", "relative's name"));
        relative.addTelecom().setValue(secret("555-303-4455", "relative's phone"));
        relative.setBirthDateElement(new DateType(secret("1950-02-03", "relative's birth date")));
        INPUT.add(relative);

        DocumentReference document = new DocumentReference();
        document.setId("fixture-document");
        document.setSubject(subject)
                .setMasterIdentifier(new Identifier().setValue(secret("DOC-7766112", "document number")));
        document.addContent()
                .setAttachment(new Attachment()
                        .setContentType("text/plain")
                        .setData(("Discharge letter for "
                                        + patient.getNameFirstRep().getFamily())
                                .getBytes(StandardCharsets.UTF_8)));
        INPUT.add(document);

        for (Resource resource : INPUT) {
            if (resource.getIdElement().getIdPart() != null) {
                secret(resource.getIdElement().getIdPart(), "source id");
            }
        }
    }

    private static String secret(String value, String kind) {
        if (value != null && !value.isBlank()) {
            SECRETS.putIfAbsent(value, kind);
        }
        return value;
    }

    private static Resource first(SyntheaBundles.PatientData data, String type) {
        return data.resources().stream()
                .filter(r -> r.fhirType().equals(type))
                .findFirst()
                .orElseThrow();
    }

    /** A key whose offset for the fixture patient is not zero, so a shifted date differs from its source. */
    private static byte[] exportKeyWithNonZeroShift(DeidentificationProfile profile) throws Exception {
        for (int i = 0; ; i++) {
            byte[] key =
                    MessageDigest.getInstance("SHA-256").digest(("deid-fixture-" + i).getBytes(StandardCharsets.UTF_8));
            if (profile.maxShiftDays() == 0
                    || new ExportKeys(key, 32).dayOffset(owningPatient, profile.maxShiftDays()) != 0) {
                return key;
            }
        }
    }

    private static String owningPatientOf(Resource resource) {
        return switch (resource.fhirType()) {
            case "Practitioner", "Endpoint", "Location" -> null;
            default -> owningPatient;
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"safe-harbor", "safe-harbor-date-shift"})
    void noIdentifyingValueSurvivesAnywhere(String profileName) throws Exception {
        DeidentificationProfile profile = DeidentificationProfile.load(profileName);
        Deidentifier deidentifier = new Deidentifier(FHIR, profile, exportKeyWithNonZeroShift(profile), EXPORT_TIME);
        IParser strict = FHIR.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        List<String> before = INPUT.stream()
                .map(r -> FHIR.newJsonParser().encodeResourceToString(r))
                .toList();

        StringBuilder all = new StringBuilder();
        List<Resource> outputs = new ArrayList<>();
        for (Resource resource : INPUT) {
            Resource output = deidentifier.deidentify(resource, owningPatientOf(resource));
            String json = FHIR.newJsonParser().encodeResourceToString(output);
            strict.parseResource(json);
            all.append(json).append('\n');
            outputs.add(output);
        }
        assertEquals(
                before,
                INPUT.stream()
                        .map(r -> FHIR.newJsonParser().encodeResourceToString(r))
                        .toList(),
                "the input must not change");

        assertTrue(SECRETS.size() > 40, "the fixture carries the identifiers");
        for (Map.Entry<String, String> secret : SECRETS.entrySet()) {
            // a short number (a zip code) is looked for as a whole value: its digits also occur inside pseudonyms
            String needle = secret.getKey().matches("\\d{1,6}") ? '"' + secret.getKey() + '"' : secret.getKey();
            assertFalse(all.indexOf(needle) >= 0, "survived: " + secret.getValue());
        }

        Patient out = (Patient) outputs.get(0);
        assertFalse(out.hasBirthDate(), "born 1921: 90 or older at the export");
        assertTrue(out.getExtensionByUrl(profile.ageFlagExtension())
                .castToBoolean(out.getExtensionByUrl(profile.ageFlagExtension()).getValue())
                .booleanValue());
        assertEquals(patient.getGender(), out.getGender());
        assertEquals(
                patient.getAddressFirstRep().getState(),
                out.getAddressFirstRep().getState());
        assertFalse(out.getAddressFirstRep().hasExtension(), "geolocation goes");
        assertNotEquals(patient.getIdElement().getIdPart(), out.getIdElement().getIdPart());

        Age onset = ((Condition) outputs.stream()
                        .filter(r -> r instanceof Condition)
                        .findFirst()
                        .orElseThrow())
                .getOnsetAge();
        assertEquals(0, onset.getValue().compareTo(BigDecimal.valueOf(90)));
        assertEquals(Quantity.QuantityComparator.GREATER_OR_EQUAL, onset.getComparator());

        Device device = (Device)
                outputs.stream().filter(r -> r instanceof Device).findFirst().orElseThrow();
        assertEquals(
                deidentifier.pseudonymize(owningPatient), device.getPatient().getReference());
    }
}
