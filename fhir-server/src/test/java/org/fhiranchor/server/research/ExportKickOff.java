package org.fhiranchor.server.research;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** {@code POST [base]/$research-export} as a researcher's client sends it (Prefer: respond-async). */
final class ExportKickOff {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ExportKickOff() {}

    /** @param bearer the token, or null for none */
    static HttpResponse<String> post(String baseUrl, String bearer, String parametersJson) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/$research-export"))
                .header("Content-Type", "application/fhir+json").header("Accept", "application/fhir+json")
                .header("Prefer", "respond-async")
                .POST(HttpRequest.BodyPublishers.ofString(parametersJson));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
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
