package org.fhiranchor.anchor.canonical;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Canonicalization of the official HL7 FHIR R4 examples (shared/data/hl7-r4-examples). */
class FhirExamplesCanonicalTest {

    @Test
    void everyExampleCanonicalizesIdempotentlyAndKeepsItsTree() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SharedData.hl7R4Examples())) {
            files = walk.filter(p -> p.toString().endsWith(".json")).sorted().collect(Collectors.toList());
        }
        assertTrue(files.size() > 100, "expected the HL7 examples, found " + files.size());
        for (Path file : files) {
            byte[] source = Files.readAllBytes(file);
            byte[] canonical = CanonicalJson.canonicalize(source);
            assertArrayEquals(canonical, CanonicalJson.canonicalize(canonical), "idempotent: " + file);
            assertEquals(JsonParser.parse(source), JsonParser.parse(canonical), "same tree: " + file);
            assertTrue(canonical.length < source.length, "whitespace removed: " + file);
        }
    }

    @Test
    void claimKeepsTrailingZerosOfMoneyValues() throws IOException {
        byte[] source = Files.readAllBytes(SharedData.hl7R4Examples().resolve("Claim/Claim-100151.json"));
        String canonical = new String(CanonicalJson.canonicalize(source), StandardCharsets.UTF_8);
        assertTrue(canonical.contains("\"value\":105.00"), "FHIR decimal 105.00 must stay 105.00");
        assertTrue(!canonical.contains("\"value\":105,") && !canonical.contains("\"value\":105.0,"));
    }

    @Test
    void patientExampleCanonicalFormIsCompactAndSorted() throws IOException {
        byte[] source = Files.readAllBytes(SharedData.hl7R4Examples().resolve("Patient/Patient-example.json"));
        String canonical = new String(CanonicalJson.canonicalize(source), StandardCharsets.UTF_8);
        JsonObject tree = JsonParser.parseObject(source);
        List<String> sortedKeys = tree.members().keySet().stream().sorted().collect(Collectors.toList());
        assertTrue(canonical.startsWith("{\"" + sortedKeys.get(0) + "\":"));
        assertTrue(!canonical.contains("\n") && !canonical.contains("\": "));
        assertEquals("Patient", tree.getString("resourceType"));
        assertEquals("example", tree.getString("id"));
    }
}
