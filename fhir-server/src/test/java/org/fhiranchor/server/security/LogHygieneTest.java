package org.fhiranchor.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.fhiranchor.server.support.FhirRestTest;
import org.fhiranchor.server.support.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * After a Synthea ingest, reads, searches by name and requests that make HAPI complain about
 * values taken from the records, the server's log holds none of those patients' names or
 * identifiers, and no response carries a stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogHygieneTest extends FhirRestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void noNamesOrIdentifiersInTheLog(CapturedOutput output) throws IOException {
        List<Path> bundles;
        try (Stream<Path> files = Files.list(SharedData.synthea())) {
            bundles = files.filter(p -> p.getFileName().toString().matches("[A-Z].*\\.json"))
                    .sorted()
                    .limit(3)
                    .toList();
        }
        Set<String> secrets = new LinkedHashSet<>();
        for (Path bundle : bundles) {
            byte[] body = Files.readAllBytes(bundle);
            secrets.addAll(namesAndIdentifiers(JSON.readTree(body)));
            HttpResponse<String> response = http("POST", "", "application/fhir+json", body);
            assertThat(response.statusCode())
                    .as(bundle.getFileName().toString())
                    .isEqualTo(200);
            String patientLocation = JSON.readTree(response.body())
                    .path("entry")
                    .path(0)
                    .path("response")
                    .path("location")
                    .asText();
            String patientId = patientLocation.split("/")[1];
            JsonNode patient =
                    JSON.readTree(bundle.toFile()).path("entry").path(0).path("resource");
            String family = patient.path("name").path(0).path("family").asText();
            String ssn = patient.path("identifier").path(2).path("value").asText();

            assertThat(get("/Patient/" + patientId).statusCode()).isEqualTo(200);
            assertThat(get("/Patient/" + patientId + "/_history").statusCode()).isEqualTo(200);
            assertThat(get("/Observation?patient=Patient/" + patientId + "&_count=50")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(get("/Patient?family=" + enc(family)).statusCode()).isEqualTo(200);
            assertThat(get("/Patient?identifier=" + enc("http://hl7.org/fhir/sid/us-ssn|" + ssn))
                            .statusCode())
                    .isEqualTo(200);
            // Requests HAPI refuses while quoting what it was sent: the refusal must not reach the log.
            assertNoStackTrace(get("/Patient?birthdate=" + enc(family)));
            assertNoStackTrace(http(
                    "POST",
                    "/Patient",
                    "application/fhir+json",
                    ("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\"}],\"birthDate\":\"" + ssn
                                    + "\"}")
                            .getBytes(StandardCharsets.UTF_8)));
            assertNoStackTrace(get("/Patient/" + enc(family)));
            assertNoStackTrace(http("GET", "/Patient/" + patientId, null, null, token(Role.AUDITOR)));
        }
        assertThat(secrets).hasSizeGreaterThan(10);

        String log = output.getAll();
        for (String secret : secrets) {
            assertThat(Pattern.compile("\\b" + Pattern.quote(secret) + "\\b")
                            .matcher(log)
                            .find())
                    .as("log mentions '%s'", secret)
                    .isFalse();
        }
    }

    private static void assertNoStackTrace(HttpResponse<String> response) {
        assertThat(response.statusCode()).isBetween(400, 499);
        assertThat(response.body())
                .contains("OperationOutcome")
                .doesNotContain("\tat ")
                .doesNotContain("Exception");
    }

    /** Every Patient's given and family names and identifier values in a bundle. */
    private static Set<String> namesAndIdentifiers(JsonNode bundle) {
        Set<String> values = new LinkedHashSet<>();
        for (JsonNode entry : bundle.path("entry")) {
            JsonNode resource = entry.path("resource");
            if (!"Patient".equals(resource.path("resourceType").asText())) {
                continue;
            }
            for (JsonNode name : resource.path("name")) {
                values.add(name.path("family").asText());
                name.path("given").forEach(given -> values.add(given.asText()));
            }
            resource.path("identifier")
                    .forEach(identifier -> values.add(identifier.path("value").asText()));
        }
        values.removeIf(v -> v.isBlank() || v.length() < 3);
        return values;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
