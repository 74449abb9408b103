package org.fhiranchor.server.research.deid;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fhiranchor.server.support.SharedData;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The Synthea transaction bundles of ../shared/data, turned into what the server would have stored:
 * each entry's id is its fullUrl's uuid and every {@code urn:uuid:} reference becomes {@code Type/id}.
 */
final class SyntheaBundles {

    /** One bundle's resources, and the Patient whose compartment holds them (null for the shared files). */
    record PatientData(String file, Patient patient, List<Resource> resources) {

        /** The owning patient of a resource: Organizations and Practitioners are in no patient compartment. */
        String owningPatient(Resource resource) {
            if (patient == null
                    || resource.getResourceType().name().equals("Organization")
                    || resource.getResourceType().name().equals("Practitioner")) {
                return null;
            }
            return "Patient/" + patient.getIdElement().getIdPart();
        }
    }

    private SyntheaBundles() {}

    static List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(SharedData.synthea())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .toList();
        }
    }

    static PatientData read(FhirContext fhirContext, Path file) throws IOException {
        Bundle bundle;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            bundle = fhirContext.newJsonParser().parseResource(Bundle.class, reader);
        }
        Map<String, String> typeById = new HashMap<>();
        List<Resource> resources = new ArrayList<>();
        Patient patient = null;
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Resource resource = entry.getResource();
            String uuid = entry.getFullUrl().substring("urn:uuid:".length());
            resource.setId(uuid);
            typeById.put(uuid, resource.fhirType());
            resources.add(resource);
            if (resource instanceof Patient p) {
                patient = p;
            }
        }
        for (Resource resource : resources) {
            for (Reference reference :
                    fhirContext.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
                reference.setResource(null);
                String value = reference.getReference();
                if (value != null && value.startsWith("urn:uuid:")) {
                    String uuid = value.substring("urn:uuid:".length());
                    String type = typeById.get(uuid);
                    if (type != null) {
                        reference.setReference(type + "/" + uuid);
                    }
                }
            }
        }
        return new PatientData(file.getFileName().toString(), patient, resources);
    }

    /** The first bundle with a Patient. */
    static PatientData firstPatient(FhirContext fhirContext) throws IOException {
        for (Path file : files()) {
            PatientData data = read(fhirContext, file);
            if (data.patient() != null) {
                return data;
            }
        }
        throw new IllegalStateException("no Synthea patient bundle");
    }
}
