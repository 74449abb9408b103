package org.fhiranchor.anchor.verifier;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fhiranchor.anchor.canonical.JsonArray;
import org.fhiranchor.anchor.canonical.JsonFormatException;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.canonical.JsonString;
import org.fhiranchor.anchor.canonical.JsonValue;
import org.fhiranchor.anchor.log.ResourceRef;

/**
 * A minimal FHIR REST client for the verifier: reads versions exactly as served, their {@code $verify}
 * answers, and the {@code _history}. No HAPI: an auditor's tool should depend on as little as possible,
 * and the bytes must reach the hash untouched by any model round trip.
 */
public final class FhirSource {

    /** Environment variable holding the bearer token, so that it need not appear in the process list. */
    public static final String TOKEN_ENV = "FHIR_ANCHOR_TOKEN";

    private static final String FHIR_JSON = "application/fhir+json";
    private static final Pattern VERSIONED = Pattern.compile(
            "(?:^|/)([A-Z][A-Za-z0-9]{0,63})/([A-Za-z0-9\\-.]{1,64})/_history/([1-9][0-9]{0,18})(?:[?#].*)?$");
    private static final Pattern WEAK_ETAG = Pattern.compile("W/\"([1-9][0-9]{0,18})\"");
    private static final Pattern TYPE = Pattern.compile("[A-Z][A-Za-z0-9]{0,63}");

    private final String base;
    private final String bearerTokenOrNull;
    private final Duration requestTimeout;
    private final HttpClient http;

    /**
     * @param baseUrl the FHIR base, e.g. {@code https://fhir.example.org/fhir}
     * @param bearerTokenOrNull sent as {@code Authorization: Bearer ...} on every request, or null
     * @param timeout connect timeout and per-request timeout
     */
    public FhirSource(String baseUrl, String bearerTokenOrNull, Duration timeout) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        URI uri = URI.create(baseUrl);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("the FHIR base must be an http or https URL: " + baseUrl);
        }
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.bearerTokenOrNull = bearerTokenOrNull == null || bearerTokenOrNull.isBlank() ? null : bearerTokenOrNull;
        this.requestTimeout = timeout;
        // HTTP/1.1: h2c upgrade attempts confuse some reverse proxies, and we gain nothing from HTTP/2 here.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public String baseUrl() {
        return base;
    }

    /**
     * The version's JSON exactly as served ({@code GET [type]/[id]/_history/[vid]?_format=json}), or
     * empty if the server answers 410 Gone, which is how FHIR serves a deleted version.
     */
    public Optional<byte[]> readVersion(ResourceRef ref) {
        HttpResponse<byte[]> response = get(base + "/" + ref + "?_format=json", status -> status == 410);
        return response.statusCode() == 410 ? Optional.empty() : Optional.of(response.body());
    }

    /** The {@code $verify} answer for {@code Type/id} (current version) or {@code Type/id/_history/vid}. */
    public byte[] verifyAnswer(String ref) {
        return get(base + "/" + ref + "/$verify?_format=json", status -> false).body();
    }

    /**
     * The {@code POST [base]/$verify} answer for many versions at once (docs/verification.md section 4.1): one
     * {@code resource} parameter per {@code Type/id} or {@code Type/id/_history/vid}.
     */
    public byte[] verifyManyAnswer(List<String> refs) {
        List<JsonValue> parameters = new ArrayList<>();
        for (String ref : refs) {
            parameters.add(new JsonObject(
                    java.util.Map.of("name", new JsonString("resource"), "valueString", new JsonString(ref))));
        }
        byte[] body = org.fhiranchor.anchor.canonical.CanonicalJson.serialize(new JsonObject(java.util.Map.of(
                "resourceType", new JsonString("Parameters"), "parameter", new JsonArray(parameters))));
        String url = base + "/$verify?_format=json";
        return send(
                        HttpRequest.newBuilder(URI.create(url))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .header("Content-Type", FHIR_JSON),
                        "POST " + url,
                        status -> false)
                .body();
    }

    /** What one history entry says about a version; the resource is absent for a delete. */
    public record HistoryEntry(String method, String label, Optional<ResourceRef> ref, Optional<JsonObject> resource) {
        public boolean isDelete() {
            return "DELETE".equals(method);
        }
    }

    /** Receives history entries; returns false to stop paging. */
    @FunctionalInterface
    public interface HistoryVisitor {
        boolean visit(HistoryEntry entry);
    }

    /**
     * Pages through {@code [base]/_history} (or {@code [base]/[type]/_history}), following
     * {@code link[relation=next]}. Next links must stay under the configured base: the bearer token
     * must not be sent wherever the server points.
     */
    public void history(String typeOrNull, HistoryVisitor visitor) {
        if (typeOrNull != null && !TYPE.matcher(typeOrNull).matches()) {
            throw new IllegalArgumentException("not a FHIR resource type: " + typeOrNull);
        }
        String url = base + (typeOrNull == null ? "" : "/" + typeOrNull) + "/_history?_format=json";
        Set<String> visited = new HashSet<>();
        while (url != null) {
            if (!visited.add(url)) {
                throw new FhirSourceException(false, "the history links loop back to " + url);
            }
            JsonObject bundle = parse(get(url, status -> false).body(), url);
            for (JsonValue value : elements(bundle, "entry")) {
                if (value instanceof JsonObject entry && !visitor.visit(toEntry(entry))) {
                    return;
                }
            }
            url = nextLink(bundle);
            if (url != null && !url.startsWith(base + "/") && !url.startsWith(base + "?")) {
                throw new FhirSourceException(false, "refusing to follow a next link outside " + base + ": " + url);
            }
        }
    }

    private static HistoryEntry toEntry(JsonObject entry) {
        String method = string(entry, "request", "method").orElse("");
        String fullUrl = string(entry, "fullUrl").orElse(null);
        String requestUrl = string(entry, "request", "url").orElse(null);
        Optional<JsonObject> resource =
                entry.member("resource").filter(JsonObject.class::isInstance).map(JsonObject.class::cast);
        Optional<ResourceRef> ref;
        if (resource.isPresent()) {
            // The resource names its own version; the verifier checks these against the proof anyway.
            ref = refOf(
                    string(resource.get(), "resourceType"),
                    string(resource.get(), "id"),
                    string(resource.get(), "meta", "versionId"));
        } else {
            // A delete has no body to name its version: look for it wherever servers put it.
            ref = versioned(fullUrl)
                    .or(() -> versioned(requestUrl))
                    .or(() -> versioned(string(entry, "response", "location").orElse(null)))
                    .or(() -> withEtag(requestUrl != null ? requestUrl : fullUrl, string(entry, "response", "etag")));
        }
        String label = ref.map(ResourceRef::toString)
                .orElse(fullUrl != null ? fullUrl : requestUrl != null ? requestUrl : "(history entry without URL)");
        return new HistoryEntry(method, label, ref, resource);
    }

    private static Optional<ResourceRef> refOf(Optional<String> type, Optional<String> id, Optional<String> vid) {
        if (type.isEmpty() || id.isEmpty() || vid.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ResourceRef(type.get(), id.get(), vid.get()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<ResourceRef> versioned(String url) {
        if (url == null) {
            return Optional.empty();
        }
        Matcher m = VERSIONED.matcher(url);
        return m.find()
                ? refOf(Optional.of(m.group(1)), Optional.of(m.group(2)), Optional.of(m.group(3)))
                : Optional.empty();
    }

    /** A versionless {@code Type/id} plus the entry's {@code W/"vid"} ETag. */
    private static Optional<ResourceRef> withEtag(String url, Optional<String> etag) {
        if (url == null || etag.isEmpty()) {
            return Optional.empty();
        }
        Matcher tag = WEAK_ETAG.matcher(etag.get());
        Matcher typeId = Pattern.compile("(?:^|/)([A-Z][A-Za-z0-9]{0,63})/([A-Za-z0-9\\-.]{1,64})$")
                .matcher(url.replaceFirst("[?#].*$", ""));
        if (!tag.matches() || !typeId.find()) {
            return Optional.empty();
        }
        return refOf(Optional.of(typeId.group(1)), Optional.of(typeId.group(2)), Optional.of(tag.group(1)));
    }

    private static String nextLink(JsonObject bundle) {
        for (JsonValue value : elements(bundle, "link")) {
            if (value instanceof JsonObject link && string(link, "relation").equals(Optional.of("next"))) {
                return string(link, "url").orElse(null);
            }
        }
        return null;
    }

    private static Iterable<JsonValue> elements(JsonObject object, String name) {
        return object.member(name)
                .filter(JsonArray.class::isInstance)
                .map(v -> ((JsonArray) v).elements())
                .orElse(java.util.List.of());
    }

    private static Optional<String> string(JsonObject object, String... path) {
        return object.path(path).filter(JsonString.class::isInstance).map(v -> ((JsonString) v).value());
    }

    private static JsonObject parse(byte[] body, String url) {
        try {
            return JsonParser.parseObject(body);
        } catch (JsonFormatException e) {
            throw new FhirSourceException(false, "GET " + url + " did not answer JSON: " + e.getMessage());
        }
    }

    private HttpResponse<byte[]> get(String url, Predicate<Integer> alsoAccepted) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), "GET " + url, alsoAccepted);
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request, String what, Predicate<Integer> alsoAccepted) {
        request.timeout(requestTimeout).header("Accept", FHIR_JSON);
        if (bearerTokenOrNull != null) {
            request.header("Authorization", "Bearer " + bearerTokenOrNull);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new FhirSourceException(true, what + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FhirSourceException(true, what + " interrupted", e);
        }
        int status = response.statusCode();
        if (status / 100 != 2 && !alsoAccepted.test(status)) {
            // 5xx may pass; 4xx (unknown version, no permission) will not without someone changing something.
            throw new FhirSourceException(
                    status >= 500, what + " answered HTTP " + status + diagnostics(response.body()));
        }
        return response;
    }

    /** The first OperationOutcome diagnostics, if the error body has one: it is what a person needs to read. */
    private static String diagnostics(byte[] body) {
        try {
            JsonObject outcome = JsonParser.parseObject(body);
            for (JsonValue issue : elements(outcome, "issue")) {
                if (issue instanceof JsonObject object) {
                    Optional<String> text = string(object, "diagnostics");
                    if (text.isPresent()) {
                        return ": " + text.get();
                    }
                }
            }
        } catch (RuntimeException e) {
            // Not JSON: fall through to a short excerpt.
        }
        String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? "" : ": " + text;
    }

    /** The FHIR server could not be read or refused the request. */
    public static final class FhirSourceException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean transientFailure;

        public FhirSourceException(boolean transientFailure, String message) {
            this(transientFailure, message, null);
        }

        public FhirSourceException(boolean transientFailure, String message, Throwable cause) {
            super(message, cause);
            this.transientFailure = transientFailure;
        }

        /** True for network failures and 5xx answers: the same request may succeed later. */
        public boolean transientFailure() {
            return transientFailure;
        }
    }
}
