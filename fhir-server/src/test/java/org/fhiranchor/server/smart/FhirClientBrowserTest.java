package org.fhiranchor.server.smart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.fhiranchor.server.support.ClinicalFixtures;
import org.fhiranchor.server.support.FhirRestTest;
import org.hl7.fhir.instance.model.api.IIdType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A real SMART client: the {@code fhirclient} library from npm, in Debian's headless Chromium driven
 * by playwright-core, completes a standalone patient launch against the server (PKCE S256, the
 * server's login and consent pages, token exchange and FHIR reads across origins through CORS). The
 * app is served from another loopback port, as a real app would be.
 */
class FhirClientBrowserTest extends FhirRestTest {

    private static final Path REPO = repositoryRoot();
    private static HttpServer appServer;
    private static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void appOrigin(DynamicPropertyRegistry registry) throws IOException {
        appServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serve("/launch.html", "text/html", resource("smart-app/launch.html"));
        serve("/app.html", "text/html", resource("smart-app/app.html"));
        serve("/blank.html", "text/html", "<!doctype html><title>blank</title>".getBytes(StandardCharsets.UTF_8));
        serve(
                "/fhir-client.js",
                "application/javascript",
                Files.readAllBytes(REPO.resolve("node_modules/fhirclient/build/fhir-client.js")));
        appServer.start();
        registry.add("fhir-anchor.test.context-name", () -> "smart-browser");
        registry.add("fhir-anchor.smart.allowed-origins", FhirClientBrowserTest::appOrigin);
    }

    @AfterAll
    static void stopApp() {
        appServer.stop(0);
    }

    @Test
    void fhirclientCompletesAStandaloneLaunchInChromium() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        IIdType alice = client.create()
                .resource(ClinicalFixtures.patient("urn:test:browser:" + run, "a", "Lovelace", "1815-12-10"))
                .execute()
                .getId()
                .toUnqualifiedVersionless();
        IIdType bob = client.create()
                .resource(ClinicalFixtures.patient("urn:test:browser:" + run, "b", "Babbage", "1791-12-26"))
                .execute()
                .getId()
                .toUnqualifiedVersionless();
        String username = "ada-" + run;
        String password = "analytical engine 1843";
        assertThat(admin(
                                "/admin/users",
                                Map.of(
                                        "username",
                                        username,
                                        "password",
                                        password,
                                        "role",
                                        "patient",
                                        "fhirUser",
                                        "Patient/" + alice.getIdPart()))
                        .statusCode())
                .isEqualTo(201);
        Map<String, Object> app = new LinkedHashMap<>();
        app.put("name", "Health Diary (test app)");
        app.put("redirectUris", List.of(appOrigin() + "/app.html"));
        app.put("scope", "launch/patient openid fhirUser patient/*.rs");
        HttpResponse<String> registered = admin("/admin/clients", app);
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        String clientId = JSON.readTree(registered.body()).path("clientId").asText();

        Path shots = Files.createDirectories(Path.of("target", "smart-screenshots"));
        String launch = appOrigin() + "/launch.html?iss=" + Browser.encode(baseUrl()) + "&client_id=" + clientId;
        Process node = new ProcessBuilder(
                        "node",
                        REPO.resolve("fhir-server/src/test/js/smart-launch.js").toString(),
                        launch,
                        username,
                        password,
                        shots.toAbsolutePath().toString(),
                        bob.getIdPart())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String output;
        try (InputStream out = node.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        if (!node.waitFor(3, TimeUnit.MINUTES)) {
            node.destroyForcibly();
        }
        assertThat(node.exitValue()).as(output).isZero();
        JsonNode result = JSON.readTree(output.substring(output.lastIndexOf('\n') + 1));
        assertThat(result.has("error")).as(output).isFalse();
        assertThat(result.path("patientId").asText()).isEqualTo(alice.getIdPart());
        assertThat(result.path("patientFromServer").asText()).isEqualTo(alice.getIdPart());
        assertThat(result.path("family").asText()).isEqualTo("Lovelace");
        // fhirclient reads fhirUser from the id_token and gives it as type/id.
        assertThat(result.path("fhirUser").asText()).isEqualTo("Patient/" + alice.getIdPart());
        assertThat(result.path("otherPatientStatus").asInt()).isEqualTo(403);
        assertThat(shots.resolve("login.png")).isNotEmptyFile();
        assertThat(shots.resolve("consent.png")).isNotEmptyFile();
    }

    private HttpResponse<String> admin(String path, Map<String, Object> body) throws IOException {
        return SmartLaunchTest.rawHttp(
                "POST", "http://127.0.0.1:" + port + path, "application/json", JSON.writeValueAsString(body), token);
    }

    private static String appOrigin() {
        return "http://127.0.0.1:" + appServer.getAddress().getPort();
    }

    private static void serve(String path, String type, byte[] body) {
        appServer.createContext(path, exchange -> {
            exchange.getResponseHeaders().add("Content-Type", type);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = FhirClientBrowserTest.class.getClassLoader().getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    /** The folder with package.json and node_modules (npm ci), above the module's working directory. */
    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("node_modules/fhirclient"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new UncheckedIOException(
                    new IOException("node_modules/fhirclient not found: run npm ci at the repository root"));
        }
        return dir;
    }
}
