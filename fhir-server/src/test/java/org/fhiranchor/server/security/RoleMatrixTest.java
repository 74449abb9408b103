package org.fhiranchor.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.fhiranchor.server.support.ClinicalFixtures;
import org.fhiranchor.server.support.FhirRestTest;
import org.hl7.fhir.instance.model.api.IIdType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every built-in role (and no token at all) against every kind of endpoint, with the status
 * docs/security.md promises. The named proof and research operations ($verify, $research-export)
 * do not exist on the server yet: their column is decided by {@link OperationPolicyTest} on the
 * same rules; the operation column here uses HAPI's own $meta.
 */
class RoleMatrixTest extends FhirRestTest {

    private static final String JSON = "application/fhir+json";
    private static final String SYSTEM = "urn:fhir-anchor:test:matrix:" + UUID.randomUUID();

    /** Expected status per endpoint, in the column order of {@link Endpoint}. */
    private static final Map<String, int[]> EXPECTED = Map.of(
            //                     read search write  tx  $meta audit actuator
            "none", new int[] {401, 401, 401, 401, 401, 401, 401},
            "ehr", new int[] {200, 200, 201, 200, 200, 403, 403},
            "clinician", new int[] {200, 200, 403, 403, 200, 403, 403},
            "patient", new int[] {200, 200, 403, 403, 403, 403, 403},
            // a Patient no MedicationRequest references; Observation is outside its scopes
            "pharmacist", new int[] {403, 403, 403, 403, 403, 403, 403},
            // a Patient none of its Claims references; the search answers 200 with nothing in it
            "insurer", new int[] {403, 200, 403, 403, 403, 403, 403},
            "auditor", new int[] {403, 403, 403, 403, 403, 200, 403},
            "researcher", new int[] {403, 403, 403, 403, 403, 403, 403},
            "admin", new int[] {200, 200, 201, 200, 200, 200, 200});

    enum Endpoint {
        READ,
        SEARCH,
        WRITE,
        TRANSACTION,
        OPERATION,
        AUDIT_SEARCH,
        ACTUATOR
    }

    private static IIdType patient;

    @BeforeEach
    void patientOnce() {
        if (patient == null) {
            patient = client.create()
                    .resource(ClinicalFixtures.patient(SYSTEM, "mrn-matrix", "Matrix", "1970-01-01"))
                    .execute()
                    .getId()
                    .toUnqualifiedVersionless();
            client.create()
                    .resource(ClinicalFixtures.observation(
                            patient.getValue(), "2345-7", "laboratory", "2024-01-02T10:00:00Z", "95"))
                    .execute();
        }
    }

    static Stream<Arguments> matrix() {
        return EXPECTED.entrySet().stream()
                .flatMap(row -> Stream.of(Endpoint.values())
                        .map(endpoint -> Arguments.of(row.getKey(), endpoint, row.getValue()[endpoint.ordinal()])));
    }

    @ParameterizedTest(name = "{0} x {1} -> {2}")
    @MethodSource("matrix")
    void roleAgainstEndpoint(String role, Endpoint endpoint, int expectedStatus) {
        String bearer = bearerFor(role);
        HttpResponse<String> response = switch (endpoint) {
            case READ -> http("GET", "/" + patient.getValue(), null, null, bearer);
            case SEARCH -> http("GET", "/Observation?patient=" + patient.getValue(), null, null, bearer);
            case WRITE -> http("POST", "/Patient", JSON, newPatient().getBytes(StandardCharsets.UTF_8), bearer);
            case TRANSACTION -> http("POST", "", JSON, transaction().getBytes(StandardCharsets.UTF_8), bearer);
            case OPERATION -> http("GET", "/$meta", null, null, bearer);
            case AUDIT_SEARCH -> http("GET", "/AuditEvent?_count=1", null, null, bearer);
            case ACTUATOR -> actuator("/actuator/metrics", bearer);
        };
        assertThat(response.statusCode())
                .as(role + " x " + endpoint + ": " + response.body())
                .isEqualTo(expectedStatus);
        if (role.equals("insurer") && endpoint == Endpoint.SEARCH) {
            assertThat(response.body()).doesNotContain("\"resourceType\":\"Observation\"");
        }
        if (expectedStatus == 401) {
            assertThat(response.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        }
        if (expectedStatus >= 400) {
            assertThat(response.body())
                    .contains("\"resourceType\":\"OperationOutcome\"")
                    .doesNotContain("\tat ");
        }
    }

    private String bearerFor(String role) {
        if (role.equals("none")) {
            return null;
        }
        Role builtIn = Role.fromCode(role);
        if (builtIn == Role.PATIENT) {
            return issuer.mint(new TokenIssuer.TokenRequest(
                    builtIn, "matrix-patient", Duration.ofMinutes(10), patient.getIdPart(), null));
        }
        if (builtIn == Role.INSURER) {
            return issuer.mint(new TokenIssuer.TokenRequest(
                    builtIn,
                    "matrix-insurer",
                    Duration.ofMinutes(10),
                    null,
                    null,
                    "Organization/matrix-insurer",
                    null));
        }
        return token(builtIn);
    }

    private HttpResponse<String> actuator(String path, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String newPatient() {
        return "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" + SYSTEM + "\",\"value\":\"w\"}]}";
    }

    private static String transaction() {
        return "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"fullUrl\":\"urn:uuid:"
                + UUID.randomUUID() + "\",\"resource\":" + newPatient()
                + ",\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}]}";
    }
}
