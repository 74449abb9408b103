package org.fhiranchor.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.fhiranchor.anchor.canonical.ContentHash;
import org.fhiranchor.server.support.SharedData;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

/**
 * The hook's content hash (canonical JSON written straight from HAPI's encoding events) must be the hash of the
 * served JSON text canonicalized (docs/verification.md 1), which is what every verifier recomputes.
 */
class VersionHasherTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final VersionHasher hasher = new VersionHasher(FHIR);

    @Test
    void theTestVectorsVersionHashesAsItsServedText() throws IOException {
        JsonNode vector = new ObjectMapper()
                .readTree(Path.of("..", "docs", "test-vectors", "resource-and-leaf.json")
                        .toFile())
                .path("versions")
                .get(0);
        // HAPI re-encodes the narrative's emoji as an XML character reference: the served text of this parse differs
        // from the vector's, so the comparison is with the served text, not with the published hash.
        assertSameHashAsServedText(FHIR.newJsonParser()
                .parseResource(Patient.class, vector.path("served").asText()));
    }

    @Test
    void everyHl7ExampleAndSyntheaResourceHashesAsItsServedText() throws IOException {
        List<Resource> resources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SharedData.hl7Examples())) {
            for (Path file : files.filter(
                            p -> p.toString().endsWith(".json") && !p.endsWith("hl7.fhir.r4.examples-package.json"))
                    .sorted()
                    .toList()) {
                resources.add(parse(file));
            }
        }
        try (Stream<Path> files = Files.list(SharedData.synthea())) {
            for (Path file :
                    files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                for (Bundle.BundleEntryComponent entry : ((Bundle) parse(file)).getEntry()) {
                    resources.add(entry.getResource());
                }
            }
        }
        assertThat(resources).hasSizeGreaterThan(13_000);
        int version = 0;
        for (Resource resource : resources) {
            // as stored: a version id and a server time
            resource.getMeta().setVersionId(Integer.toString(++version % 7 + 1));
            resource.getMeta().setLastUpdated(new Date(1_700_000_000_000L + version));
            assertSameHashAsServedText(resource);
        }
    }

    @Test
    void decimalsKeepTheirPrecisionAndPrimitiveExtensionsTheirNulls() {
        Observation observation = new Observation();
        observation.setId("o1");
        observation.setValue(
                new Quantity().setValueElement(new DecimalType("72.50")).setUnit("kg"));
        observation.addComponent().setValue(new Quantity().setValueElement(new DecimalType("1E+2")));
        observation.addComponent().setValue(new Quantity().setValueElement(new DecimalType("-0.000")));
        Patient patient = new Patient();
        patient.setId("p1");
        HumanName name = patient.addName();
        name.addGiven("Zoë \"Z\" \\ \n\t\u0001 \uD83C\uDF1E");
        StringType withExtensionOnly = new StringType();
        withExtensionOnly.addExtension(new Extension("http://example.org/ext", new StringType("no value")));
        name.getGiven().add(withExtensionOnly);
        patient.getContained().add(observation.copy());

        assertSameHashAsServedText(observation);
        assertSameHashAsServedText(patient);
        String served = hasher.servedJson(observation);
        assertThat(served).contains("72.50").contains("1E+2").contains("-0.000");
        assertThat(hasher.servedJson(patient)).contains("\"given\":[\"Zoë").contains(",null]");
    }

    @Test
    void aChangedDecimalPrecisionChangesTheHash() {
        Observation a = new Observation();
        a.setId("o1");
        a.setValue(new Quantity().setValueElement(new DecimalType("7.20")));
        Observation b = a.copy();
        b.setValue(new Quantity().setValueElement(new DecimalType("7.2")));

        assertThat(hasher.contentHash(a)).isNotEqualTo(hasher.contentHash(b));
    }

    @Test
    void theServedTextDiffersFromHapisOnlyInTheHexCaseOfControlCharacterEscapes() throws IOException {
        Patient patient = new Patient();
        patient.setId("p1");
        patient.addName().setFamily("Nuñez\u001f").addGiven("a\u0001b\\u0001c");
        String hapi = hasher.servedJson(patient);
        String served = hasher.served(patient).json();

        assertThat(hapi).contains("Nuñez\\u001F").contains("a\\u0001b\\\\u0001c");
        assertThat(served).isEqualTo(hapi.replace("\\u001F", "\\u001f"));
        assertThat(MAPPER.readTree(served)).isEqualTo(MAPPER.readTree(hapi));
    }

    /**
     * The hash from HAPI's encoding events is the hash of the served text canonicalized, and {@code served()} gives
     * HAPI's served text with that hash.
     */
    private void assertSameHashAsServedText(Resource resource) {
        String text = hasher.servedJson(resource);
        String fromText = HexFormat.of().formatHex(ContentHash.of(text.getBytes(StandardCharsets.UTF_8)));
        assertThat(HexFormat.of().formatHex(hasher.contentHash(resource)))
                .as("%s/%s", resource.fhirType(), resource.getIdPart())
                .isEqualTo(fromText);
        VersionHasher.Served served = hasher.served(resource);
        assertThat(HexFormat.of().formatHex(served.contentHash()))
                .as("%s/%s", resource.fhirType(), resource.getIdPart())
                .isEqualTo(fromText);
        if (hasControlEscape(text)) {
            assertThat(readTree(served.json())).isEqualTo(readTree(text));
        } else {
            assertThat(served.json())
                    .as("%s/%s", resource.fhirType(), resource.getIdPart())
                    .isEqualTo(text);
        }
    }

    private static boolean hasControlEscape(String json) {
        return json.matches("(?s).*\\\\u00[01][0-9A-F].*");
    }

    private static JsonNode readTree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Resource parse(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return (Resource) FHIR.newJsonParser().parseResource(reader);
        }
    }
}
