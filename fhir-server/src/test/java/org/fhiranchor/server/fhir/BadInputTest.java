package org.fhiranchor.server.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Stream;
import org.fhiranchor.server.support.FhirRestTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad input gets a 4xx with an OperationOutcome that says what is wrong, and nothing is stored. */
class BadInputTest extends FhirRestTest {

    private static final String JSON = "application/fhir+json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Each bad body names this marker in a Patient identifier, so a search proves it was not stored. */
    private static final String MARKER = "bad-input-" + UUID.randomUUID();

    private static final String PATIENT =
            "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:test\",\"value\":\"" + MARKER + "\"}]";

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("malformed JSON", "POST", "/Patient", JSON, PATIENT + ",", 400, "Failed to parse"),
                Arguments.of(
                        "malformed XML",
                        "POST",
                        "/Patient",
                        "application/fhir+xml",
                        "<Patient xmlns=\"http://hl7.org/fhir\"><identifier><value value=\"" + MARKER + "\"/>",
                        400,
                        "Failed to parse"),
                Arguments.of(
                        "resourceType does not match the URL (POST)",
                        "POST",
                        "/Observation",
                        JSON,
                        PATIENT + "}",
                        400,
                        "Incorrect resource type"),
                Arguments.of(
                        "resourceType does not match the URL (PUT)",
                        "PUT",
                        "/Observation/x1",
                        JSON,
                        PATIENT + ",\"id\":\"x1\"}",
                        400,
                        "Incorrect resource type"),
                Arguments.of(
                        "unknown resource type in the URL",
                        "POST",
                        "/Spaceship",
                        JSON,
                        PATIENT + "}",
                        404,
                        "Unknown resource type"),
                Arguments.of(
                        "unknown resource type in the body",
                        "POST",
                        "/Patient",
                        JSON,
                        "{\"resourceType\":\"Spaceship\",\"name\":\"" + MARKER + "\"}",
                        400,
                        "Spaceship"),
                Arguments.of(
                        "unknown element",
                        "POST",
                        "/Patient",
                        JSON,
                        PATIENT + ",\"favouriteColour\":\"blue\"}",
                        400,
                        "Unknown element 'favouriteColour'"),
                Arguments.of(
                        "invalid primitive value",
                        "POST",
                        "/Patient",
                        JSON,
                        PATIENT + ",\"birthDate\":\"1970-13-45\"}",
                        400,
                        "1970-13-45"),
                Arguments.of(
                        "extension without url",
                        "POST",
                        "/Patient",
                        JSON,
                        PATIENT + ",\"extension\":[{\"valueString\":\"x\"}]}",
                        400,
                        "url"),
                Arguments.of(
                        "reference to a resource that does not exist",
                        "POST",
                        "/Observation",
                        JSON,
                        "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"" + MARKER
                                + "\"},\"subject\":{\"reference\":\"Patient/" + MARKER + "\"}}",
                        400,
                        "not found"),
                Arguments.of(
                        "PUT body id differs from the URL",
                        "PUT",
                        "/Patient/" + MARKER,
                        JSON,
                        PATIENT + ",\"id\":\"other\"}",
                        400,
                        "does not match"),
                Arguments.of(
                        "unsupported content type",
                        "POST",
                        "/Patient",
                        "text/plain",
                        PATIENT + "}",
                        415,
                        "Unsupported Content-Type"),
                Arguments.of("no content type", "POST", "/Patient", null, PATIENT + "}", 400, "Content-Type"),
                Arguments.of("empty body", "POST", "/Patient", JSON, "", 400, "content"),
                Arguments.of(
                        "transaction with a dangling urn:uuid reference",
                        "POST",
                        "",
                        JSON,
                        transaction(
                                entry("urn:uuid:" + UUID.randomUUID(), PATIENT + "}", "Patient"),
                                entry(
                                        "urn:uuid:" + UUID.randomUUID(),
                                        "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                                                + "\"subject\":{\"reference\":\"urn:uuid:" + UUID.randomUUID() + "\"}}",
                                        "Observation")),
                        400,
                        "placeholder"),
                Arguments.of(
                        "transaction whose last entry is invalid",
                        "POST",
                        "",
                        JSON,
                        transaction(
                                entry("urn:uuid:" + UUID.randomUUID(), PATIENT + "}", "Patient"),
                                entry(
                                        "urn:uuid:" + UUID.randomUUID(),
                                        "{\"resourceType\":\"Observation\",\"status\":\"not-a-status\"}",
                                        "Observation")),
                        400,
                        "not-a-status"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void refusedWithOperationOutcome_andNothingStored(
            String name,
            String method,
            String path,
            String contentType,
            String body,
            int expectedStatus,
            String expectedText)
            throws IOException {
        int patientsBefore = count("Patient");
        int observationsBefore = count("Observation");

        HttpResponse<String> response = http(method, path, contentType, body.getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).as(name + ": " + response.body()).isEqualTo(expectedStatus);
        assertOperationOutcome(response, expectedText);
        assertThat(count("Patient?identifier=urn:test|" + MARKER))
                .as("stored despite refusal")
                .isZero();
        assertThat(count("Patient")).isEqualTo(patientsBefore);
        assertThat(count("Observation")).isEqualTo(observationsBefore);
    }

    @Test
    void bodyOverTheLimit_withContentLength_is413_beforeTheBodyIsSent() throws IOException {
        int before = count("Patient");
        // Only the headers go out: the server must answer from the declared length alone.
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            String head = "POST /fhir/Patient HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + JSON + "\r\nAccept: "
                    + JSON + "\r\nContent-Length: " + (17L * 1024 * 1024) + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // Read what arrives until the OperationOutcome is complete: the server may keep the
            // connection open afterwards, waiting for a body that never comes.
            StringBuilder received = new StringBuilder();
            byte[] buffer = new byte[4096];
            int n;
            while (!received.toString().endsWith("}]}")
                    && (n = socket.getInputStream().read(buffer)) > 0) {
                received.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
            String response = received.toString();
            assertThat(response).startsWith("HTTP/1.1 413");
            String body = response.substring(response.indexOf("\r\n\r\n") + 4);
            assertThat(body).contains("\"resourceType\":\"OperationOutcome\"").contains("exceeds the limit");
        }
        assertThat(count("Patient")).isEqualTo(before);
    }

    @Test
    void bodyOverTheLimit_chunkedWithoutLength_is413() throws Exception {
        int before = count("Patient");
        byte[] body = oversizedPatient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/Patient"))
                .header("Content-Type", JSON)
                .header("Accept", JSON)
                // ofInputStream has no known length, so the client sends the body chunked.
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        HttpResponse<String> response = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertOperationOutcome(response, "exceeds the limit");
        assertThat(count("Patient")).isEqualTo(before);
    }

    /** A valid Patient of 17 MB: one byte over the 16 MB default would do, a margin keeps it obvious. */
    private static byte[] oversizedPatient() {
        char[] padding = new char[17 * 1024 * 1024];
        Arrays.fill(padding, 'a');
        return (PATIENT + ",\"name\":[{\"text\":\"" + new String(padding) + "\"}]}").getBytes(StandardCharsets.UTF_8);
    }

    private static void assertOperationOutcome(HttpResponse<String> response, String expectedText) throws IOException {
        JsonNode outcome = MAPPER.readTree(response.body());
        assertThat(outcome.path("resourceType").asText()).isEqualTo("OperationOutcome");
        JsonNode issue = outcome.path("issue").path(0);
        assertThat(issue.path("severity").asText()).isIn("error", "fatal");
        assertThat(issue.path("diagnostics").asText()).containsIgnoringCase(expectedText);
        assertThat(response.body()).doesNotContain("\tat ").doesNotContain("Exception:");
    }

    private static String transaction(String... entries) {
        return "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + String.join(",", entries) + "]}";
    }

    private static String entry(String fullUrl, String resource, String type) {
        return "{\"fullUrl\":\"" + fullUrl + "\",\"resource\":" + resource
                + ",\"request\":{\"method\":\"POST\",\"url\":\"" + type + "\"}}";
    }
}
