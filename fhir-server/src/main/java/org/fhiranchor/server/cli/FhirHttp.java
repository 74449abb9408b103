package org.fhiranchor.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Raw JSON over HTTP for the benchmarks only (BenchmarkCommand, RequestBenchmark, ScaleBenchmark; bearer token
 * optional): they measure the server's own latency and throughput, so an answer is read as far as the figure needs
 * (a status, a few JSON fields) and never parsed into model objects, which would measure the client. Every other
 * tool talks to a server through HAPI's generic client ({@link org.fhiranchor.server.client.FhirClients}).
 */
public final class FhirHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final String token;

    public FhirHttp(String bearerTokenOrNull) {
        this.token = bearerTokenOrNull;
    }

    public JsonNode getJson(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = send(request(url).GET().build());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + " from " + url);
        }
        return JSON.readTree(response.body());
    }

    public HttpResponse<String> post(String url, String contentType, byte[] body)
            throws IOException, InterruptedException {
        return send(request(url)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    }

    /** GET, returning only the status (for latency measurements). */
    public int getStatus(String url) throws IOException, InterruptedException {
        return http.send(request(url).GET().build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private HttpRequest.Builder request(String url) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMinutes(10))
                .header("Accept", "application/fhir+json, application/json");
        if (token != null && !token.isBlank()) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The value of a named parameter of a FHIR Parameters resource (first value[x] found). */
    public static JsonNode parameter(JsonNode parameters, String name) {
        for (JsonNode p : parameters.path("parameter")) {
            if (p.path("name").asText().equals(name)) {
                for (var fields = p.fields(); fields.hasNext(); ) {
                    var field = fields.next();
                    if (field.getKey().startsWith("value")) {
                        return field.getValue();
                    }
                }
            }
        }
        return JSON.missingNode();
    }
}
