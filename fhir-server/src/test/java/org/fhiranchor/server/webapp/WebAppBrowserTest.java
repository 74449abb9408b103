package org.fhiranchor.server.webapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fhiranchor.server.security.Role;
import org.fhiranchor.server.security.TokenIssuer;
import org.fhiranchor.server.support.FhirRestTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The web app in headless Chromium against this server. A patient signs in through the real SMART
 * standalone launch (the built-in authorization server's login and consent pages, PKCE), sees the
 * record and verifies every version in the browser (and a version a dishonest server altered is
 * flagged), finds a doctor's read and a break-glass read in the access log, revokes the doctor (whose
 * token then gets 403 on her data), signs out (ending the authorization server's session) and meets
 * a refused sign-in; "verify a file" verifies a saved version and flags a tampered copy; a clinician
 * (pasted token) opens a prescription; an auditor signs in through the login page and uses the
 * auditor console. The browser side is {@code webapp/e2e/browser.mjs} (playwright-core driving
 * Debian's chromium; {@code .ci/run} installs it). Screenshots go to {@code target/screenshots}; with
 * {@code FHIR_ANCHOR_WRITE_SCREENSHOTS=1} they also replace the ones in {@code docs/screenshots}.
 */
class WebAppBrowserTest extends FhirRestTest {

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final String OBSERVATION = "Observation/sample-ada-obs-3";
    private static final String PRESCRIPTION = "MedicationRequest/sample-ada-med-1";
    /** The doctor Ada revokes in the browser: his token reads her record before, and gets 403 after. */
    private static final String DOCTOR = "Practitioner/sample-dr-lee";
    /** The clinician of the pasted-token step: Ada keeps her permit. */
    private static final String CLINICIAN = "Practitioner/sample-dr-kim";
    /** A doctor Ada denied: reads only by breaking the glass. */
    private static final String EMERGENCY_DOCTOR = "Practitioner/sample-dr-ray";

    private static final String PATIENT_USER = "ada-webapp";
    private static final String AUDITOR_USER = "auditor-webapp";
    private static final String PASSWORD = "a long passphrase for tests";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Its own server: the consents and heart rates it adds must not change what other tests count. */
    @DynamicPropertySource
    static void ownContext(DynamicPropertyRegistry registry) {
        registry.add("fhir-anchor.test.context-name", () -> "webapp-browser");
    }

    @Test
    void patientClinicianAndAuditorUseTheAppInABrowser() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "Debian's chromium is not installed (.ci/run installs it)");
        Path webapp = repositoryRoot().resolve("webapp");
        assumeTrue(
                Files.isDirectory(webapp.resolve("node_modules/playwright-core")),
                "webapp/node_modules missing: the webapp module's build runs npm ci");

        seed();
        registerAppAndUsers();
        String doctorToken = clinicianToken("dr-lee", DOCTOR);
        String observationPath = "/" + OBSERVATION + "?_format=json";
        // What the access log must show: the doctor's read, and a break-glass read by a doctor Ada
        // denied (refused without it).
        assertThat(http("GET", observationPath, null, null, doctorToken).statusCode())
                .as("permitted doctor reads")
                .isEqualTo(200);
        String emergencyToken = clinicianToken("dr-ray", EMERGENCY_DOCTOR);
        assertThat(http("GET", observationPath, null, null, emergencyToken).statusCode())
                .as("denied, no read")
                .isEqualTo(403);
        assertThat(http("GET", observationPath, null, null, emergencyToken, Map.of("X-Purpose-Of-Use", "BTG"))
                        .statusCode())
                .as("break-glass read")
                .isEqualTo(200);
        // Every version the record shows is covered by a checkpoint before the browser verifies them all.
        awaitAnchored("Observation/sample-ada-hr-3/_history/1");
        Path work = Files.createDirectories(Path.of("target", "webapp-browser-test"));
        Path resourceFile = work.resolve("observation.json");
        Path verifyFile = work.resolve("verify.json");
        saveVersionAndProof(resourceFile, verifyFile);
        Path screenshots = Files.createDirectories(Path.of("target", "screenshots"));

        ProcessBuilder node = new ProcessBuilder("node", "e2e/browser.mjs")
                .directory(webapp.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("browser.log").toFile());
        Map<String, String> env = node.environment();
        env.put("BASE_URL", "http://127.0.0.1:" + port);
        env.put("CHROMIUM", CHROMIUM.toString());
        env.put("PATIENT_USER", PATIENT_USER);
        env.put("AUDITOR_USER", AUDITOR_USER);
        env.put("PASSWORD", PASSWORD);
        env.put("DOCTOR_NAME", "Dr. Sam Lee");
        env.put("DOCTOR_REF", DOCTOR);
        env.put("DOCTOR_TOKEN", doctorToken);
        env.put("EMERGENCY_DOCTOR_REF", EMERGENCY_DOCTOR);
        env.put("CLINICIAN_TOKEN", clinicianToken("dr-kim", CLINICIAN));
        env.put("OBSERVATION_REF", OBSERVATION);
        env.put("TAMPER_REF", "Observation/sample-ada-hr-2");
        env.put("PATIENT_ID", "sample-ada");
        env.put("PATIENT_NAME", "Quill");
        env.put("PATIENT_FULL_NAME", "Ada Quill");
        env.put("PRESCRIPTION_REF", PRESCRIPTION);
        env.put("RESOURCE_FILE", resourceFile.toAbsolutePath().toString());
        env.put("VERIFY_FILE", verifyFile.toAbsolutePath().toString());
        env.put("SCREENSHOT_DIR", screenshots.toAbsolutePath().toString());
        env.put("FAILURE_DIR", work.toAbsolutePath().toString());
        Process process = node.start();
        boolean finished = process.waitFor(8, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String log = Files.readString(work.resolve("browser.log"));
        System.out.println(log);
        assertThat(finished).as("browser test finished in time").isTrue();
        assertThat(process.exitValue())
                .as("browser test (see target/webapp-browser-test/browser.log)\n" + log)
                .isZero();
        assertThat(log).contains("browser test passed");

        // After the patient revoked him in the browser: the doctor is refused, whatever his token.
        assertThat(http("GET", observationPath, null, null, doctorToken).statusCode())
                .as("revoked doctor")
                .isEqualTo(403);
        assertThat(http("GET", observationPath, null, null, clinicianToken("dr-lee-2", DOCTOR))
                        .statusCode())
                .as("revoked doctor, new token")
                .isEqualTo(403);
        assertThat(http("GET", observationPath, null, null, clinicianToken("dr-kim", CLINICIAN))
                        .statusCode())
                .as("the clinician she did not revoke")
                .isEqualTo(200);

        if ("1".equals(System.getenv("FHIR_ANCHOR_WRITE_SCREENSHOTS"))) {
            Path docs = Files.createDirectories(repositoryRoot().resolve("docs/screenshots"));
            try (var files = Files.list(screenshots)) {
                for (Path png : files.filter(p -> p.toString().endsWith(".png")).toList()) {
                    Files.copy(png, docs.resolve(png.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** A clinician's token naming the person behind it (SMART fhirUser), as the consents decide on it. */
    private String clinicianToken(String subject, String fhirUser) {
        return issuer.mint(
                new TokenIssuer.TokenRequest(Role.CLINICIAN, subject, Duration.ofHours(1), null, null, fhirUser, null));
    }

    /**
     * The web app as a public SMART client of the built-in authorization server (redirect URI
     * {@code <origin>/app/}, PKCE), a patient user linked to Ada and an auditor user.
     */
    private void registerAppAndUsers() throws IOException {
        Map<String, Object> app = new LinkedHashMap<>();
        app.put("clientId", "fhir-anchor-webapp");
        app.put("name", "FHIR Anchor web app");
        app.put("redirectUris", List.of("http://127.0.0.1:" + port + "/app/"));
        app.put(
                "scope",
                "openid fhirUser launch/patient patient/*.rs patient/Consent.cu user/*.rs system/AuditEvent.rs"
                        + " operation/$verify operation/$consistency operation/$checkpoints operation/$audit-sweep");
        HttpResponse<String> client = admin("/admin/clients", app);
        assertThat(client.statusCode()).as(client.body()).isEqualTo(201);
        HttpResponse<String> patient = admin(
                "/admin/users",
                Map.of(
                        "username",
                        PATIENT_USER,
                        "password",
                        PASSWORD,
                        "role",
                        "patient",
                        "fhirUser",
                        "Patient/sample-ada"));
        assertThat(patient.statusCode()).as(patient.body()).isEqualTo(201);
        HttpResponse<String> auditor =
                admin("/admin/users", Map.of("username", AUDITOR_USER, "password", PASSWORD, "role", "auditor"));
        assertThat(auditor.statusCode()).as(auditor.body()).isEqualTo(201);
    }

    private HttpResponse<String> admin(String path, Map<String, Object> body) throws IOException {
        try {
            return java.net.http.HttpClient.newHttpClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                                    .header("Content-Type", "application/json")
                                    .header("Authorization", "Bearer " + token)
                                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                            JSON.writeValueAsString(body)))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Waits until a checkpoint on chain covers the version. */
    private void awaitAnchored(String version) throws Exception {
        String auditor = token(Role.AUDITOR);
        await("a checkpoint covering " + version).atMost(Duration.ofMinutes(2)).until(() -> {
            HttpResponse<String> verify = http("GET", "/" + version + "/$verify", null, null, auditor);
            return verify.statusCode() == 200
                    && verify.body().contains("\"name\":\"proof\"")
                    && verify.body().contains("anchored");
        });
    }

    /**
     * The sample patient (whose own consent permits treatment by anyone: the server's default opt-out
     * policy releases her record to clinicians), a few more heart rates over time (for the chart),
     * three doctors: two she permits by name, one she denies.
     */
    private void seed() throws IOException {
        Path samples = repositoryRoot().resolve("samples/patients/sample-ada.json");
        assertThat(http("POST", "", "application/fhir+json", Files.readAllBytes(samples))
                        .statusCode())
                .isEqualTo(200);
        String[] rates = {"76", "79", "88", "71"};
        for (int i = 0; i < rates.length; i++) {
            put("Observation/sample-ada-hr-" + i, """
                    {"resourceType":"Observation","id":"sample-ada-hr-%d","status":"final",
                     "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],
                     "code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}],"text":"Heart rate"},
                     "subject":{"reference":"Patient/sample-ada"},"effectiveDateTime":"2025-0%d-01T09:30:00Z",
                     "valueQuantity":{"value":%s,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"}}
                    """.formatted(i, i + 4, rates[i]));
        }
        practitioner("sample-dr-lee", "Lee", "Sam");
        practitioner("sample-dr-kim", "Kim", "Jo");
        practitioner("sample-dr-ray", "Ray", "Alex");
        privacy("sample-ada-consent-dr-lee", "permit", "sample-dr-lee", "Dr. Sam Lee", "2025-05-01T10:00:00Z");
        privacy("sample-ada-consent-dr-kim", "permit", "sample-dr-kim", "Dr. Jo Kim", "2025-06-01T10:00:00Z");
        privacy("sample-ada-consent-dr-ray", "deny", "sample-dr-ray", "Dr. Alex Ray", "2025-07-01T10:00:00Z");
    }

    private void practitioner(String id, String family, String given) {
        put("Practitioner/" + id, """
                {"resourceType":"Practitioner","id":"%s","name":[{"family":"%s","given":["%s"],"prefix":["Dr."]}]}
                """.formatted(id, family, given));
    }

    /** Ada's patient-privacy Consent permitting or denying one practitioner. */
    private void privacy(String id, String type, String practitioner, String display, String dateTime) {
        put("Consent/" + id, """
                {"resourceType":"Consent","id":"%s","status":"active",
                 "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},
                 "category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],
                 "patient":{"reference":"Patient/sample-ada"},"dateTime":"%s",
                 "policyRule":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"%s"}]},
                 "provision":{"type":"%s","actor":[{"role":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"PRCP"}]},
                   "reference":{"reference":"Practitioner/%s","display":"%s"}}]}}
                """.formatted(
                        id, dateTime, "permit".equals(type) ? "OPTIN" : "OPTOUT", type, practitioner, display));
    }

    private void put(String ref, String json) {
        HttpResponse<String> response =
                http("PUT", "/" + ref, "application/fhir+json", json.getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(ref + ": " + response.body()).isBetween(200, 201);
    }

    /** The version as served and its $verify answer, once a checkpoint covers it: what a user would save. */
    private void saveVersionAndProof(Path resourceFile, Path verifyFile) throws Exception {
        HttpResponse<String> current = get("/" + OBSERVATION + "?_format=json");
        assertThat(current.statusCode()).isEqualTo(200);
        String versionId = current.body().replaceAll("(?s).*\"versionId\"\\s*:\\s*\"([0-9]+)\".*", "$1");
        String version = OBSERVATION + "/_history/" + versionId;
        String auditor = token(Role.AUDITOR);
        String[] answer = new String[1];
        await("a checkpoint covering " + version).atMost(Duration.ofMinutes(2)).until(() -> {
            HttpResponse<String> verify = http("GET", "/" + version + "/$verify", null, null, auditor);
            answer[0] = verify.body();
            return verify.statusCode() == 200
                    && verify.body().contains("\"name\":\"proof\"")
                    && verify.body().contains("anchored");
        });
        Files.writeString(verifyFile, answer[0]);
        HttpResponse<byte[]> served = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create(baseUrl() + "/" + version + "?_format=json"))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(served.statusCode()).isEqualTo(200);
        Files.write(resourceFile, served.body());
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("webapp/e2e"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("repository root with webapp/e2e").isNotNull();
        return dir;
    }
}
