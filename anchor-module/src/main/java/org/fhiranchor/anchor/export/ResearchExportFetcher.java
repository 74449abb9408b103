package org.fhiranchor.anchor.export;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.fhiranchor.anchor.canonical.JsonArray;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.canonical.JsonString;
import org.fhiranchor.anchor.canonical.JsonValue;

/**
 * Downloads a finished export (docs/research-export.md section 1): polls the status URL once; when the
 * completion document is there, saves {@code manifest.json}, {@code export-proof.json} and every file the
 * manifest lists into a directory. The bearer token is sent only to the status URL's origin (scheme, host,
 * port); a document pointing elsewhere is refused. Nothing is trusted here: {@code research-verify} checks.
 */
public final class ResearchExportFetcher {

    /** What one fetch came to. */
    public sealed interface Result permits Fetched, Pending, Failed {}

    /** Every file was saved under the directory. */
    public record Fetched(ResearchExportManifest manifest, List<Path> saved) implements Result {}

    /** The export is still running: the server's {@code X-Progress}, if any. */
    public record Pending(String progress) implements Result {}

    /** The server refused or failed; {@code transientFailure} for network errors and 5xx (retry later). */
    public record Failed(String message, boolean transientFailure) implements Result {}

    private final String tokenOrNull;
    private final Duration timeout;
    private final HttpClient http;

    public ResearchExportFetcher(String tokenOrNull, Duration timeout) {
        this.tokenOrNull = tokenOrNull == null || tokenOrNull.isBlank() ? null : tokenOrNull;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    private static final class FetchException extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean transientFailure;

        FetchException(String message, boolean transientFailure) {
            super(message, null, false, false);
            this.transientFailure = transientFailure;
        }
    }

    public Result fetch(URI statusUrl, Path dir) {
        try {
            HttpResponse<byte[]> status = get(statusUrl, statusUrl, "application/json");
            if (status.statusCode() == 202) {
                return new Pending(status.headers().firstValue("X-Progress").orElse("in progress"));
            }
            requireOk(status, statusUrl);
            JsonObject document;
            try {
                document = JsonParser.parseObject(status.body());
            } catch (RuntimeException e) {
                return new Failed("the completion document is not JSON: " + e.getMessage(), false);
            }
            JsonObject extension = document.path("extension")
                    .filter(JsonObject.class::isInstance)
                    .map(JsonObject.class::cast)
                    .orElseThrow(() -> new FetchException("the completion document has no extension object", false));
            URI manifestUrl = url(statusUrl, stringMember(extension, "manifest"));
            URI proofUrl = url(statusUrl, stringMember(extension, "proof"));

            Files.createDirectories(dir);
            byte[] manifestBytes = download(statusUrl, manifestUrl);
            ResearchExportManifest manifest;
            try {
                manifest = ResearchExportManifest.parse(manifestBytes);
            } catch (RuntimeException e) {
                return new Failed(
                        "manifest.json is not a valid " + ResearchExportManifest.FORMAT + ": " + e.getMessage(), false);
            }
            List<Path> saved = new ArrayList<>();
            saved.add(Files.write(dir.resolve(ResearchExportManifest.FILE_NAME), manifestBytes));
            saved.add(Files.write(dir.resolve(ExportProof.FILE_NAME), download(statusUrl, proofUrl)));
            for (ExportFile file : manifest.files()) {
                URI fileUrl = fileUrl(statusUrl, document, extension, manifestUrl, file.name());
                // The name passed ExportFile's pattern: a plain file name, never a path.
                saved.add(Files.write(dir.resolve(file.name()), download(statusUrl, fileUrl)));
            }
            return new Fetched(manifest, saved);
        } catch (FetchException e) {
            return new Failed(e.getMessage(), e.transientFailure);
        } catch (IOException e) {
            return new Failed("cannot write under " + dir + ": " + e.getMessage(), false);
        }
    }

    /**
     * The URL of one file: {@code extension.files[].url} of the entry with that {@code name}; else the
     * {@code output[].url} whose {@code name} query parameter is the file's; else the manifest URL with its
     * {@code name} parameter replaced.
     */
    private static URI fileUrl(URI statusUrl, JsonObject document, JsonObject extension, URI manifestUrl, String name)
            throws FetchException {
        for (JsonObject entry : objects(extension, "files")) {
            if (entry.path("name").equals(Optional.of(new JsonString(name)))
                    && entry.path("url").orElse(null) instanceof JsonString url) {
                return url(statusUrl, url.value());
            }
        }
        for (JsonObject entry : objects(document, "output")) {
            if (entry.path("url").orElse(null) instanceof JsonString url
                    && name.equals(queryParameter(url.value(), "name"))) {
                return url(statusUrl, url.value());
            }
        }
        String manifestText = manifestUrl.toString();
        String encoded = "name=" + URLEncoder.encode(ResearchExportManifest.FILE_NAME, StandardCharsets.UTF_8);
        if (manifestText.contains(encoded)) {
            return URI.create(manifestText.replace(encoded, "name=" + URLEncoder.encode(name, StandardCharsets.UTF_8)));
        }
        throw new FetchException("the completion document gives no URL for " + name, false);
    }

    private static List<JsonObject> objects(JsonObject parent, String member) {
        List<JsonObject> out = new ArrayList<>();
        if (parent.member(member).orElse(null) instanceof JsonArray array) {
            for (JsonValue value : array.elements()) {
                if (value instanceof JsonObject object) {
                    out.add(object);
                }
            }
        }
        return out;
    }

    private static String queryParameter(String url, String name) {
        int q = url.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String pair : url.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0
                    && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8)
                            .equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String stringMember(JsonObject object, String name) throws FetchException {
        if (object.member(name).orElse(null) instanceof JsonString s) {
            return s.value();
        }
        throw new FetchException("the completion document has no extension." + name + " URL", false);
    }

    /** Resolves a URL of the document against the status URL; it must stay on the status URL's origin. */
    private static URI url(URI statusUrl, String text) throws FetchException {
        URI resolved;
        try {
            resolved = statusUrl.resolve(text);
        } catch (IllegalArgumentException e) {
            throw new FetchException("not a URL: " + text, false);
        }
        if (!Objects.equals(resolved.getScheme(), statusUrl.getScheme())
                || !Objects.equals(resolved.getHost(), statusUrl.getHost())
                || resolved.getPort() != statusUrl.getPort()) {
            throw new FetchException(
                    "refusing " + resolved + ": not on the status URL's origin (the token goes nowhere else)", false);
        }
        return resolved;
    }

    private byte[] download(URI statusUrl, URI url) throws FetchException {
        HttpResponse<byte[]> response = get(statusUrl, url, "*/*");
        requireOk(response, url);
        return response.body();
    }

    private HttpResponse<byte[]> get(URI statusUrl, URI url, String accept) throws FetchException {
        url(statusUrl, url.toString());
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Accept", accept)
                .GET();
        if (tokenOrNull != null) {
            request.header("Authorization", "Bearer " + tokenOrNull);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new FetchException("GET " + url + " failed: " + e, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException("interrupted", true);
        }
    }

    private static void requireOk(HttpResponse<byte[]> response, URI url) throws FetchException {
        int code = response.statusCode();
        if (code != 200) {
            String body = new String(response.body(), StandardCharsets.UTF_8);
            throw new FetchException(
                    "GET " + url + " answered " + code
                            + (body.isBlank() ? "" : ": " + body.substring(0, Math.min(300, body.length()))),
                    code >= 500);
        }
    }
}
