package org.fhiranchor.server.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A Bulk Data Access IG v2 client, as the IG tells one to behave: kick-off with {@code Prefer: respond-async},
 * polling the {@code Content-Location} while it answers 202 (honouring {@code Retry-After}), the completion
 * manifest, and file downloads with the same bearer token.
 */
public final class BulkDataClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private final String baseUrl;
    private final String token;

    public BulkDataClient(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /** {@code GET [base]/<path>} kick-off; the raw response (202 with Content-Location when accepted). */
    public HttpResponse<String> kickOff(String pathAndQuery) {
        return send(request(baseUrl + pathAndQuery)
                .header("Accept", "application/fhir+json")
                .header("Prefer", "respond-async")
                .GET());
    }

    /** {@code POST [base]/<path>} kick-off with a Parameters body. */
    public HttpResponse<String> kickOffPost(String path, String parametersJson) {
        return send(request(baseUrl + path)
                .header("Accept", "application/fhir+json")
                .header("Prefer", "respond-async")
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(parametersJson)));
    }

    /** Kicks off and waits for the manifest. */
    public JsonNode export(String pathAndQuery) throws Exception {
        HttpResponse<String> kickOff = kickOff(pathAndQuery);
        assertThat(kickOff.statusCode()).as(kickOff.body()).isEqualTo(202);
        return awaitManifest(kickOff.headers().firstValue("Content-Location").orElseThrow());
    }

    public HttpResponse<String> poll(String statusUrl) {
        return send(request(statusUrl).GET());
    }

    public HttpResponse<String> cancel(String statusUrl) {
        return send(request(statusUrl).DELETE());
    }

    /** Polls until the manifest (200), waiting as long as each 202's {@code Retry-After} says (at most 5 s). */
    public JsonNode awaitManifest(String statusUrl) {
        AtomicReference<JsonNode> manifest = new AtomicReference<>();
        AtomicLong retryAfterSeconds = new AtomicLong(0);
        await("the export at " + statusUrl)
                .atMost(Duration.ofMinutes(15))
                .pollDelay(Duration.ZERO)
                .pollInterval((polls, previous) -> Duration.ofSeconds(Math.min(retryAfterSeconds.get(), 5)))
                .until(() -> {
                    HttpResponse<String> poll = poll(statusUrl);
                    if (poll.statusCode() == 200) {
                        manifest.set(JSON.readTree(poll.body()));
                        return true;
                    }
                    assertThat(poll.statusCode()).as(poll.body()).isEqualTo(202);
                    assertThat(poll.headers().firstValue("X-Progress")).isPresent();
                    retryAfterSeconds.set(Long.parseLong(
                            poll.headers().firstValue("Retry-After").orElseThrow()));
                    return false;
                });
        return manifest.get();
    }

    /** One output file: its NDJSON lines. */
    public List<String> download(String url) {
        HttpResponse<String> file = downloadRaw(url);
        assertThat(file.statusCode()).as(url + ": " + file.body()).isEqualTo(200);
        List<String> lines = new ArrayList<>();
        file.body().lines().filter(line -> !line.isBlank()).forEach(lines::add);
        return lines;
    }

    public HttpResponse<String> downloadRaw(String url) {
        return send(request(url).header("Accept", "application/fhir+ndjson").GET());
    }

    /** Every resource in the manifest's files, as parsed JSON, each with the type the manifest gives its file. */
    public List<JsonNode> resources(JsonNode manifest) throws IOException {
        List<JsonNode> resources = new ArrayList<>();
        for (JsonNode output : manifest.path("output")) {
            for (String line : download(output.path("url").asText())) {
                JsonNode resource = JSON.readTree(line);
                assertThat(resource.path("resourceType").asText())
                        .isEqualTo(output.path("type").asText());
                resources.add(resource);
            }
        }
        return resources;
    }

    private HttpRequest.Builder request(String url) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
