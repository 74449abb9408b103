package org.fhiranchor.ipfs.kubo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fhiranchor.ipfs.cid.Cid;
import org.fhiranchor.ipfs.unixfs.ChunkedBytes;
import org.fhiranchor.ipfs.unixfs.ImportParams;
import org.fhiranchor.ipfs.unixfs.UnixFsImporter;

/**
 * Kubo RPC over HTTP/1.1 (forced: FACTS.md records that the node API needs it), every call a POST (Kubo
 * answers GET with 405). Import parameters are sent explicitly on every add, never left to the node's config,
 * and the answer is checked against {@link UnixFsImporter} with {@link ImportParams#KUBO_CIDV1_RAW_256K}.
 */
public final class KuboClient {
    /** The query parameters that fix the CID, matching {@link ImportParams#KUBO_CIDV1_RAW_256K}. */
    static final Map<String, String> ADD_PARAMS = addParams();

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI apiBase;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final UnixFsImporter importer = new UnixFsImporter(ImportParams.KUBO_CIDV1_RAW_256K);

    /** @param apiBase the node's API address, e.g. {@code http://127.0.0.1:5001} */
    public KuboClient(URI apiBase, Duration requestTimeout) {
        this.apiBase = apiBase;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    private static Map<String, String> addParams() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("cid-version", "1");
        params.put("raw-leaves", "true");
        params.put("chunker", "size-" + ImportParams.KUBO_CIDV1_RAW_256K.chunkSize());
        params.put("hash", "sha2-256");
        params.put("trickle", "false");
        params.put("pin", "true");
        params.put("cid-base", "base32");
        params.put("progress", "false");
        return Collections.unmodifiableMap(params);
    }

    /** The node's version string, e.g. "0.36.0"; doubles as a liveness check. */
    public String version() throws IOException {
        JsonNode reply = json(post("version", Map.of(), BodyPublishers.noBody(), null));
        return text(reply, "Version", "version");
    }

    /** Adds and pins bytes; returns the CID after checking the node computed the same one. */
    public Cid add(byte[] content) throws IOException {
        Cid expected = importer.computeCid(new ByteArrayInputStream(content));
        return add(expected, BodyPublishers.ofByteArray(content));
    }

    /**
     * Adds and pins chunked content without joining it into one array: hashed locally from the chunks, then
     * uploaded from them with its length known (no chunked transfer encoding).
     */
    public Cid add(ChunkedBytes content) throws IOException {
        Cid expected = importer.computeCid(content.newInputStream());
        BodyPublisher body = content.size() == 0
                ? BodyPublishers.noBody() // fromPublisher takes only a positive length
                : BodyPublishers.fromPublisher(BodyPublishers.ofByteArrays(content.chunks()), content.size());
        return add(expected, body);
    }

    /** Adds and pins a file, streamed from disk twice (once to hash locally, once to upload). */
    public Cid add(Path file) throws IOException {
        Cid expected;
        try (InputStream in = Files.newInputStream(file)) {
            expected = importer.computeCid(in);
        }
        return add(expected, BodyPublishers.ofFile(file));
    }

    private Cid add(Cid expected, BodyPublisher content) throws IOException {
        Multipart body = Multipart.file(content);
        String reply = post("add", ADD_PARAMS, body.publisher(), body.contentType());
        Cid actual = null;
        for (String line : reply.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = JSON.readTree(line);
            if (node.has("Message") && "error".equals(node.path("Type").asText())) {
                throw new KuboException("add failed: " + node.get("Message").asText(), 200);
            }
            if (node.hasNonNull("Hash")) {
                actual = parseCid(node.get("Hash").asText(), "add");
            }
        }
        if (actual == null) {
            // Kubo reports late failures as an HTTP trailer after a 200, which java.net.http does not surface:
            // the only sign is the missing final Hash line.
            throw new KuboException("add returned 200 without a Hash (error trailer?): " + abbreviate(reply), 200);
        }
        if (!actual.equals(expected)) {
            throw new CidMismatchException("add", expected, actual);
        }
        return actual;
    }

    /**
     * The bytes of a file. {@code timeout} is sent to the node: an offline node otherwise waits forever for a CID it
     * does not have. The bytes are re-imported locally and must give back {@code cid}.
     */
    public byte[] cat(Cid cid, Duration timeout) throws IOException {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("arg", cid.toString());
        params.put("timeout", timeout.toMillis() + "ms");
        byte[] content = postForBytes("cat", params, timeout.plus(requestTimeout));
        Cid actual = importer.computeCid(new ByteArrayInputStream(content));
        if (!actual.equals(cid)) {
            throw new CidMismatchException("cat", cid, actual);
        }
        return content;
    }

    /** Pins a DAG recursively; the node must report exactly this CID as pinned. */
    public void pinAdd(Cid cid) throws IOException {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("arg", cid.toString());
        params.put("recursive", "true");
        JsonNode reply = json(post("pin/add", params, BodyPublishers.noBody(), null));
        JsonNode pins = reply.path("Pins");
        if (!pins.isArray() || pins.size() != 1) {
            throw new KuboException("pin/add gave no single pin: " + reply, 200);
        }
        Cid pinned = parseCid(pins.get(0).asText(), "pin/add");
        if (!pinned.equals(cid)) {
            throw new CidMismatchException("pin/add", cid, pinned);
        }
    }

    /**
     * Imports a CAR and pins its roots ({@code ipfs dag import}). Returns the roots the node reports, which must be
     * exactly {@code expectedRoots}.
     */
    public List<Cid> dagImport(byte[] car, List<Cid> expectedRoots) throws IOException {
        Multipart body = Multipart.file(BodyPublishers.ofByteArray(car));
        String reply = post("dag/import", Map.of("pin-roots", "true"), body.publisher(), body.contentType());
        List<Cid> roots = new ArrayList<>();
        for (String line : reply.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = JSON.readTree(line);
            JsonNode root = node.path("Root");
            if (root.isMissingNode()) {
                continue; // "Stats" lines
            }
            String pinError = root.path("PinErrorMsg").asText("");
            if (!pinError.isEmpty()) {
                throw new KuboException("dag/import could not pin a root: " + pinError, 200);
            }
            roots.add(parseCid(root.path("Cid").path("/").asText(), "dag/import"));
        }
        if (!roots.equals(expectedRoots)) {
            throw new KuboException("dag/import reported roots " + roots + ", expected " + expectedRoots, 200);
        }
        return roots;
    }

    private String post(String command, Map<String, String> params, BodyPublisher body, String contentType)
            throws IOException {
        return new String(send(command, params, body, contentType, requestTimeout), StandardCharsets.UTF_8);
    }

    private byte[] postForBytes(String command, Map<String, String> params, Duration timeout) throws IOException {
        return send(command, params, BodyPublishers.noBody(), null, timeout);
    }

    private byte[] send(
            String command, Map<String, String> params, BodyPublisher body, String contentType, Duration timeout)
            throws IOException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri(command, params)).timeout(timeout).POST(body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during " + command, e);
        }
        if (response.statusCode() != 200) {
            throw new KuboException(
                    command + " failed with HTTP " + response.statusCode() + ": " + errorMessage(response.body()),
                    response.statusCode());
        }
        return response.body();
    }

    private URI uri(String command, Map<String, String> params) {
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, String> param : params.entrySet()) {
            query.append(query.length() == 0 ? "?" : "&")
                    .append(URLEncoder.encode(param.getKey(), StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(param.getValue(), StandardCharsets.UTF_8));
        }
        String base = apiBase.toString().replaceAll("/+$", "");
        return URI.create(base + "/api/v0/" + command + query);
    }

    private static String errorMessage(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            JsonNode node = JSON.readTree(text);
            if (node != null && node.has("Message")) {
                return node.get("Message").asText();
            }
        } catch (IOException notJson) {
            // fall through to the raw text
        }
        return abbreviate(text);
    }

    private static JsonNode json(String reply) throws IOException {
        try {
            return JSON.readTree(reply);
        } catch (IOException e) {
            throw new KuboException("reply is not JSON: " + abbreviate(reply), 200);
        }
    }

    private static String text(JsonNode node, String field, String command) throws KuboException {
        if (!node.hasNonNull(field)) {
            throw new KuboException(command + " reply lacks " + field + ": " + node, 200);
        }
        return node.get(field).asText();
    }

    private static Cid parseCid(String text, String command) throws KuboException {
        try {
            return Cid.parse(text);
        } catch (IllegalArgumentException e) {
            throw new KuboException(command + " returned an unparseable CID '" + text + "'", 200);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    /** A multipart/form-data body with one part named "file", streamed from its publisher. */
    private record Multipart(BodyPublisher publisher, String contentType) {
        static Multipart file(BodyPublisher content) {
            String boundary = "fhiranchor-" + UUID.randomUUID();
            byte[] head = ("--" + boundary + "\r\n"
                            + "Content-Disposition: form-data; name=\"file\"; filename=\"file\"\r\n"
                            + "Content-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
            return new Multipart(
                    BodyPublishers.concat(BodyPublishers.ofByteArray(head), content, BodyPublishers.ofByteArray(tail)),
                    "multipart/form-data; boundary=" + boundary);
        }
    }
}
