package org.fhiranchor.server.support;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.fhiranchor.server.FhirAnchorApplication;
import org.fhiranchor.server.security.EmbeddedIssuer;
import org.fhiranchor.server.security.Role;
import org.fhiranchor.server.security.TokenIssuer;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A test that talks to the running server over FHIR REST on a random loopback port, like a real
 * client. All subclasses share one Spring context (one server start per JVM). Security is on: the
 * client and the raw HTTP helper send a bearer token of {@link #clientRole()} (admin unless a test
 * says otherwise), minted from the test server's own key by the same code as the {@code token}
 * command line. Tests of what a role may do use {@link #token(Role)} and {@link #clientWith}.
 */
@SpringBootTest(classes = FhirAnchorApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class FhirRestTest {

    /** The client's own context: never the server's, whose parser is strict. */
    protected static final FhirContext CLIENT_CONTEXT = newClientContext();

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    static {
        FhirAnchorApplication.useUtc();
    }

    @LocalServerPort
    protected int port;

    protected IGenericClient client;

    /** The token {@link #client} and {@link #http} send. */
    protected String token;

    @Autowired
    protected EmbeddedIssuer issuer;

    @DynamicPropertySource
    static void serverProperties(DynamicPropertyRegistry registry) {
        // One data directory per test context (its H2 files, keys, dev chain): a subclass that
        // needs its own context sets fhir-anchor.test.context-name (a key of its own, because a
        // subclass cannot override a key registered here).
        registry.add("fhir-anchor.data-dir", () -> TestDataDirectory.root() + "/${fhir-anchor.test.context-name:h2}");
        registry.add("server.address", () -> "127.0.0.1");
        // The embedded dev chain on a free port; checkpoints every second so tests see them soon.
        registry.add("fhir-anchor.chain.embedded.port", () -> "0");
        registry.add("fhir-anchor.anchoring.checkpoint-interval", () -> "1s");
        // Audit batches sealed within a second, so that tests see AuditEvents anchored soon.
        registry.add("fhir-anchor.audit.seal-interval", () -> "1s");
    }

    private static FhirContext newClientContext() {
        FhirContext context = FhirContext.forR4();
        context.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        context.getRestfulClientFactory().setSocketTimeout(300_000);
        return context;
    }

    @BeforeEach
    void createClient() {
        token = token(clientRole());
        client = clientWith(token);
    }

    /** The role whose token {@link #client} and {@link #http} send. */
    protected Role clientRole() {
        return Role.ADMIN;
    }

    /** A fresh token of the role, valid for an hour. */
    protected String token(Role role) {
        return issuer.mint(TokenIssuer.TokenRequest.of(role, "test-" + role.code(), Duration.ofHours(1)));
    }

    /** A FHIR client that sends the given bearer token (none when {@code null}). */
    protected IGenericClient clientWith(String bearerToken) {
        IGenericClient other = CLIENT_CONTEXT.newRestfulGenericClient(baseUrl());
        if (bearerToken != null) {
            other.registerInterceptor(new BearerTokenAuthInterceptor(bearerToken));
        }
        return other;
    }

    protected String baseUrl() {
        return "http://127.0.0.1:" + port + "/fhir";
    }

    /** The number of resources a search matches, as the server counts them. */
    protected int count(String typeAndQuery) {
        String separator = typeAndQuery.contains("?") ? "&" : "?";
        Bundle bundle = client.search()
                .byUrl(typeAndQuery + separator + "_summary=count")
                .returnBundle(Bundle.class)
                .execute();
        return bundle.getTotal();
    }

    /** A raw HTTP exchange, for bodies and headers a FHIR client would never send. */
    protected HttpResponse<String> http(String method, String path, String contentType, byte[] body) {
        return http(method, path, contentType, body, token);
    }

    /** A raw HTTP exchange with the given bearer token, or none when {@code null}. */
    protected HttpResponse<String> http(
            String method, String path, String contentType, byte[] body, String bearerToken) {
        return http(method, path, contentType, body, bearerToken, Map.of());
    }

    /** A raw HTTP exchange with the given bearer token (or none when {@code null}) and extra request headers. */
    protected HttpResponse<String> http(
            String method,
            String path,
            String contentType,
            byte[] body,
            String bearerToken,
            Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofMinutes(5))
                .header("Accept", "application/fhir+json");
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        request.method(
                method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code POST [base]/$research-export} as a researcher's client sends it ({@code Prefer: respond-async}). */
    protected HttpResponse<String> researchExportKickOff(String bearerToken, String parametersJson) {
        return http(
                "POST",
                "/$research-export",
                "application/fhir+json",
                parametersJson.getBytes(StandardCharsets.UTF_8),
                bearerToken,
                Map.of("Prefer", "respond-async"));
    }

    /** A GET of a path outside {@code /fhir} ({@code /log/checkpoint}), with the given bearer token or none. */
    protected HttpResponse<byte[]> getOutsideFhir(String path, String bearerToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofMinutes(1));
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        try {
            return HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected HttpResponse<String> get(String path) {
        return http("GET", path, null, null);
    }
}
