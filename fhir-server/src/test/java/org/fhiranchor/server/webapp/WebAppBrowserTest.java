package org.fhiranchor.server.webapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fhiranchor.server.security.Role;
import org.fhiranchor.server.security.TokenIssuer;
import org.fhiranchor.server.support.Await;
import org.fhiranchor.server.support.FhirRestTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The web app in headless Chromium against this server: sign-in with a pasted token, the patient's
 * record, verifying a version in the browser (and a tampered copy flagged), the consents and access
 * log pages, a clinician and the auditor console. The browser side is {@code webapp/e2e/browser.mjs}
 * (playwright-core driving Debian's chromium; {@code .ci/run} installs it). Screenshots go to
 * {@code target/screenshots}; with {@code FHIR_ANCHOR_WRITE_SCREENSHOTS=1} they also replace the ones
 * in {@code docs/screenshots}.
 */
class WebAppBrowserTest extends FhirRestTest {

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final String OBSERVATION = "Observation/sample-ada-obs-3";
    private static final String PRESCRIPTION = "MedicationRequest/sample-ada-med-1";

    /** Its own server: the consent and heart rates it adds must not change what other tests count. */
    @DynamicPropertySource
    static void ownContext(DynamicPropertyRegistry registry) {
        registry.add("fhir-anchor.test.context-name", () -> "webapp-browser");
    }

    @Test
    void patientClinicianAndAuditorUseTheAppInABrowser() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "Debian's chromium is not installed (.ci/run installs it)");
        Path webapp = repositoryRoot().resolve("webapp");
        assumeTrue(Files.isDirectory(webapp.resolve("node_modules/playwright-core")), "webapp/node_modules missing: the webapp module's build runs npm ci");

        seed();
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
        env.put("PATIENT_TOKEN", issuer.mint(new TokenIssuer.TokenRequest(Role.PATIENT, "test-patient-ada",
                Duration.ofHours(1), "sample-ada", null)));
        env.put("CLINICIAN_TOKEN", token(Role.CLINICIAN));
        env.put("AUDITOR_TOKEN", token(Role.AUDITOR));
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
        assertThat(process.exitValue()).as("browser test (see target/webapp-browser-test/browser.log)\n" + log).isZero();
        assertThat(log).contains("browser test passed");

        if ("1".equals(System.getenv("FHIR_ANCHOR_WRITE_SCREENSHOTS"))) {
            Path docs = Files.createDirectories(repositoryRoot().resolve("docs/screenshots"));
            try (var files = Files.list(screenshots)) {
                for (Path png : files.filter(p -> p.toString().endsWith(".png")).toList()) {
                    Files.copy(png, docs.resolve(png.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** The sample patient, a few more heart rates over time (for the chart), a doctor she consented to. */
    private void seed() throws IOException {
        Path samples = repositoryRoot().resolve("samples/patients/sample-ada.json");
        assertThat(http("POST", "", "application/fhir+json", Files.readAllBytes(samples)).statusCode()).isEqualTo(200);
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
        put("Practitioner/sample-dr-lee", """
                {"resourceType":"Practitioner","id":"sample-dr-lee","name":[{"family":"Lee","given":["Sam"],"prefix":["Dr."]}]}
                """);
        put("Consent/sample-ada-consent-dr-lee", """
                {"resourceType":"Consent","id":"sample-ada-consent-dr-lee","status":"active",
                 "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},
                 "category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],
                 "patient":{"reference":"Patient/sample-ada"},"dateTime":"2025-05-01T10:00:00Z",
                 "policyRule":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"OPTIN"}]},
                 "provision":{"type":"permit","actor":[{"role":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"PRCP"}]},
                   "reference":{"reference":"Practitioner/sample-dr-lee","display":"Dr. Sam Lee"}}]}}
                """);
    }

    private void put(String ref, String json) {
        HttpResponse<String> response = http("PUT", "/" + ref, "application/fhir+json", json.getBytes(StandardCharsets.UTF_8));
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
        Await.until("a checkpoint covering " + version, Duration.ofMinutes(2), () -> {
            HttpResponse<String> verify = http("GET", "/" + version + "/$verify", null, null, auditor);
            answer[0] = verify.body();
            return verify.statusCode() == 200 && verify.body().contains("\"name\":\"proof\"") && verify.body().contains("anchored");
        });
        Files.writeString(verifyFile, answer[0]);
        HttpResponse<byte[]> served = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "/" + version + "?_format=json"))
                        .header("Authorization", "Bearer " + token).build(),
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
