package org.fhiranchor.server.research.deid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every resource of every Synthea bundle of ../shared/data through both profiles. */
class DeidentifierSyntheaTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Instant EXPORT_TIME = Instant.parse("2026-11-21T10:00:00Z");

    @ParameterizedTest
    @ValueSource(strings = {"safe-harbor", "safe-harbor-date-shift"})
    void wholeDataSet(String profileName) throws Exception {
        DeidentificationProfile profile = DeidentificationProfile.load(profileName);
        byte[] key = MessageDigest.getInstance("SHA-256")
                .digest(("synthea-" + profileName).getBytes(StandardCharsets.UTF_8));
        Deidentifier deidentifier = new Deidentifier(FHIR, profile, key, EXPORT_TIME);
        IParser strict = FHIR.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        int resources = 0;
        int references = 0;
        int patients = 0;
        for (Path file : SyntheaBundles.files()) {
            SyntheaBundles.PatientData data = SyntheaBundles.read(FHIR, file);
            Set<String> inputIds = new HashSet<>();
            data.resources()
                    .forEach(r ->
                            inputIds.add(r.fhirType() + "/" + r.getIdElement().getIdPart()));

            List<Resource> outputs = new ArrayList<>();
            StringBuilder all = new StringBuilder();
            for (Resource resource : data.resources()) {
                Resource output = deidentifier.deidentify(resource, data.owningPatient(resource));
                String json = FHIR.newJsonParser().encodeResourceToString(output);
                outputs.add((Resource) strict.parseResource(json));
                all.append(json).append('\n');
                resources++;
            }
            Set<String> outputIds = new HashSet<>();
            outputs.forEach(
                    r -> outputIds.add(r.fhirType() + "/" + r.getIdElement().getIdPart()));
            assertEquals(
                    data.resources().size(), outputIds.size(), data.file() + ": one distinct pseudonym per resource");

            // Every reference whose target was in the input resolves to that target's pseudonym in the output.
            for (int i = 0; i < outputs.size(); i++) {
                List<Reference> before = FHIR.newTerser()
                        .getAllPopulatedChildElementsOfType(data.resources().get(i), Reference.class);
                for (Reference reference :
                        FHIR.newTerser().getAllPopulatedChildElementsOfType(outputs.get(i), Reference.class)) {
                    String value = reference.getReference();
                    if (value != null && !value.startsWith("#")) {
                        assertTrue(outputIds.contains(value), data.file() + ": reference resolves in the export");
                        references++;
                    }
                }
                for (Reference reference : before) {
                    String value = reference.getReference();
                    if (value != null && inputIds.contains(value)) {
                        assertTrue(outputIds.contains(deidentifier.pseudonymize(value)));
                    }
                }
            }

            if (data.patient() != null) {
                patients++;
                for (String secret : identifyingValues(data.patient(), profile)) {
                    assertFalse(
                            all.indexOf(secret) >= 0, data.file() + ": an identifying value of the patient survived");
                }
            }
            if (profile.dateMode() == DeidentificationProfile.DateMode.YEAR) {
                for (Resource output : outputs) {
                    for (BaseDateTimeType date :
                            FHIR.newTerser().getAllPopulatedChildElementsOfType(output, BaseDateTimeType.class)) {
                        String text = date.getValueAsString();
                        assertTrue(
                                date instanceof InstantType ? text.endsWith("-01-01T00:00:00Z") : text.length() == 4,
                                data.file() + ": year only, not " + text.length() + " characters");
                    }
                }
            }
        }
        assertEquals(41, patients, "the data set's patients");
        assertTrue(resources > 13_000, "the whole data set: " + resources);
        assertTrue(references > 20_000, "references checked: " + references);
    }

    /** The patient's names, identifier values, address lines, cities, postal codes, telecom values and exact birth date. */
    private static List<String> identifyingValues(Patient patient, DeidentificationProfile profile) {
        List<String> values = new ArrayList<>();
        values.add(patient.getIdElement().getIdPart());
        for (HumanName name : patient.getName()) {
            values.add('"' + name.getFamily() + '"');
            name.getGiven().forEach(g -> values.add('"' + g.getValue() + '"'));
            values.add(name.getNameAsSingleString());
        }
        for (Identifier identifier : patient.getIdentifier()) {
            values.add(identifier.getValue());
        }
        patient.getTelecom().forEach(t -> values.add(t.getValue()));
        for (Address address : patient.getAddress()) {
            address.getLine().forEach(l -> values.add(l.getValue()));
            values.add('"' + address.getCity() + '"');
            values.add('"'
                    + address.getPostalCode()
                    + '"'); // as a whole value: five digits also occur inside hex and decimals
        }
        if (profile.dateMode() == DeidentificationProfile.DateMode.YEAR && patient.hasBirthDate()) {
            values.add(patient.getBirthDateElement().getValueAsString());
        }
        values.removeIf(v -> v == null || v.equals("\"null\""));
        return values;
    }
}
