package org.fhiranchor.anchor.verifier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fhiranchor.anchor.canonical.CanonicalJson;
import org.fhiranchor.anchor.canonical.JsonArray;
import org.fhiranchor.anchor.canonical.JsonNumber;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.canonical.JsonString;
import org.fhiranchor.anchor.canonical.JsonValue;
import org.fhiranchor.anchor.proof.AnchorProof;
import org.fhiranchor.anchor.proof.ProofJson;

/**
 * Plays the FHIR Anchor server on 127.0.0.1: serves versions (410 for a deleted one), {@code $verify}
 * Parameters as the server spec describes them, and a paged {@code _history} (newest first, like HAPI).
 * Everything it serves is set by the test, so a test can make it lie.
 */
final class FakeFhirServer implements AutoCloseable {

    /** A request as received, to check what the verifier sends. */
    record Seen(String pathAndQuery, String accept, String authorization) {}

    /** Served bytes by {@code Type/id/_history/vid}; a null value answers 410 Gone. */
    final Map<String, byte[]> versions = new ConcurrentHashMap<>();
    /** {@code $verify} answers by {@code Type/id/_history/vid}. */
    final Map<String, byte[]> verifyAnswers = new ConcurrentHashMap<>();
    /** {@code Type/id} to the current {@code Type/id/_history/vid}. */
    final Map<String, String> current = new ConcurrentHashMap<>();
    /** History entries, oldest first (served newest first). */
    final List<JsonObject> history = new CopyOnWriteArrayList<>();

    final List<Seen> seen = new CopyOnWriteArrayList<>();
    /** The answer of {@code POST [base]/$verify} (many versions), or null for 404. */
    volatile byte[] verifyManyAnswer;
    /** Versions answered with 410 Gone (deleted). */
    final java.util.Set<String> gone = ConcurrentHashMap.newKeySet();

    volatile int pageSize = 5;
    /** If set, every "next" link points here instead (a server sending the client elsewhere). */
    volatile String nextLinkOverride;

    private final HttpServer server;

    FakeFhirServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/fhir/", this::handle);
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Serves every version of the log honestly: bytes, history entries, and anchored $verify answers. */
    void serve(ExampleLog log, java.util.function.Function<String, AnchorProof> proofs, String shownContract) {
        for (ExampleLog.Version version : log.versions) {
            String ref = version.ref().toString();
            if (version.served() == null) {
                gone.add(ref);
            } else {
                versions.put(ref, version.served());
            }
            verifyAnswers.put(ref, anchoredAnswer(proofs.apply(ref), shownContract));
            history.add(historyEntry(version));
        }
        current.putAll(log.currentVersions());
    }

    JsonObject historyEntry(ExampleLog.Version version) {
        Map<String, JsonValue> entry = new LinkedHashMap<>();
        String ref = version.ref().toString();
        entry.put("fullUrl", new JsonString(base() + "/" + ref));
        if (version.served() != null) {
            entry.put("resource", JsonParser.parseObject(version.served()));
        }
        String method = switch (version.entry().operation()) {
            case CREATE -> "POST";
            case UPDATE -> "PUT";
            case DELETE -> "DELETE";
        };
        String url = version.ref().type()
                + (method.equals("POST") ? "" : "/" + version.ref().id());
        entry.put("request", object("method", new JsonString(method), "url", new JsonString(url)));
        return new JsonObject(entry);
    }

    /** Replaces what is served for one version (its own URL and its history entry). */
    void serveAltered(String ref, byte[] body) {
        versions.put(ref, body);
        for (int i = 0; i < history.size(); i++) {
            JsonObject entry = history.get(i);
            if (entry.path("fullUrl").equals(java.util.Optional.of(new JsonString(base() + "/" + ref)))) {
                Map<String, JsonValue> members = new LinkedHashMap<>(entry.members());
                members.put("resource", JsonParser.parseObject(body));
                history.set(i, new JsonObject(members));
            }
        }
    }

    /** The $verify Parameters for an anchored version, every human-readable parameter included. */
    static byte[] anchoredAnswer(AnchorProof proof, String shownContract) {
        List<JsonValue> parameters = new ArrayList<>();
        parameters.add(param("status", "valueCode", new JsonString("anchored")));
        parameters.add(param(
                "resource",
                "valueString",
                new JsonString(proof.leaf().resource().toString())));
        parameters.add(param(
                "contentHash",
                "valueString",
                new JsonString(HexFormat.of().formatHex(proof.leaf().contentHash()))));
        parameters.add(param(
                "currentContentHash",
                "valueString",
                new JsonString(HexFormat.of().formatHex(proof.leaf().contentHash()))));
        parameters.add(param(
                "salt",
                "valueString",
                new JsonString(HexFormat.of().formatHex(proof.leaf().salt()))));
        parameters.add(param(
                "leafHash",
                "valueString",
                new JsonString(HexFormat.of().formatHex(proof.leaf().leafHash()))));
        parameters.add(param("leafIndex", "valueInteger", JsonNumber.of(proof.leafIndex())));
        parameters.add(param("treeSize", "valueInteger", JsonNumber.of(proof.treeSize())));
        parameters.add(
                param("rootHash", "valueString", new JsonString(HexFormat.of().formatHex(proof.rootHash()))));
        List<JsonValue> path = new ArrayList<>();
        proof.auditPath()
                .forEach(h -> path.add(object(
                        "name",
                        new JsonString("hash"),
                        "valueString",
                        new JsonString(HexFormat.of().formatHex(h)))));
        parameters.add(object("name", new JsonString("auditPath"), "part", new JsonArray(path)));
        parameters.add(
                param("chainId", "valueInteger", JsonNumber.of(proof.anchor().chainId())));
        parameters.add(param("contract", "valueString", new JsonString(shownContract)));
        parameters.add(param(
                "transactionHash", "valueString", new JsonString(proof.anchor().txHash())));
        parameters.add(param(
                "blockNumber", "valueInteger", JsonNumber.of(proof.anchor().blockNumber())));
        parameters.add(param("confirmations", "valueInteger", JsonNumber.of(1)));
        parameters.add(param(
                "proof",
                "valueAttachment",
                object(
                        "contentType",
                        new JsonString("application/json"),
                        "data",
                        new JsonString(Base64.getEncoder().encodeToString(ProofJson.write(proof))))));
        return parametersJson(parameters);
    }

    /**
     * The $verify Parameters for an anchored batch member (docs/verification.md section 4.2): the member's claims,
     * the batch record, the checkpoint parameters of the record's leaf, and the batched proof attachment.
     */
    static byte[] batchedAnswer(org.fhiranchor.anchor.proof.BatchedProof proof) {
        AnchorProof record = proof.batchProof();
        List<JsonValue> parameters = new ArrayList<>();
        parameters.add(param("status", "valueCode", new JsonString("anchored")));
        parameters.add(param(
                "resource",
                "valueString",
                new JsonString(proof.leaf().resource().toString())));
        parameters.add(param(
                "operation",
                "valueCode",
                new JsonString(proof.leaf().operation().jsonName())));
        parameters.add(param(
                "contentHash",
                "valueString",
                new JsonString(HexFormat.of().formatHex(proof.leaf().contentHash()))));
        parameters.add(param(
                "currentContentHash",
                "valueString",
                new JsonString(HexFormat.of().formatHex(proof.leaf().contentHash()))));
        parameters.add(param(
                "salt",
                "valueString",
                new JsonString(HexFormat.of().formatHex(proof.leaf().salt()))));
        parameters.add(param(
                "leafHash",
                "valueString",
                new JsonString(HexFormat.of().formatHex(proof.leaf().leafHash()))));
        parameters.add(param(
                "batch", "valueString", new JsonString(record.leaf().resource().toString())));
        parameters.add(param("batchIndex", "valueInteger", JsonNumber.of(proof.batchIndex())));
        parameters.add(param("batchSize", "valueInteger", JsonNumber.of(proof.batchSize())));
        parameters.add(param("treeSize", "valueInteger", JsonNumber.of(record.treeSize())));
        parameters.add(
                param("rootHash", "valueString", new JsonString(HexFormat.of().formatHex(record.rootHash()))));
        parameters.add(
                param("chainId", "valueInteger", JsonNumber.of(record.anchor().chainId())));
        parameters.add(
                param("contract", "valueString", new JsonString(record.anchor().contract())));
        parameters.add(param(
                "transactionHash", "valueString", new JsonString(record.anchor().txHash())));
        parameters.add(param(
                "blockNumber", "valueInteger", JsonNumber.of(record.anchor().blockNumber())));
        parameters.add(param(
                "proof",
                "valueAttachment",
                object(
                        "contentType",
                        new JsonString("application/json"),
                        "data",
                        new JsonString(Base64.getEncoder()
                                .encodeToString(org.fhiranchor.anchor.proof.BatchedProofJson.write(proof))))));
        return parametersJson(parameters);
    }

    static byte[] statusOnlyAnswer(String status, String ref) {
        return parametersJson(List.of(
                param("status", "valueCode", new JsonString(status)),
                param("resource", "valueString", new JsonString(ref))));
    }

    static byte[] parametersJson(List<JsonValue> parameters) {
        return CanonicalJson.serialize(
                object("resourceType", new JsonString("Parameters"), "parameter", new JsonArray(parameters)));
    }

    static JsonObject param(String name, String valueName, JsonValue value) {
        return object("name", new JsonString(name), valueName, value);
    }

    static JsonObject object(Object... namesAndValues) {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            members.put((String) namesAndValues[i], (JsonValue) namesAndValues[i + 1]);
        }
        return new JsonObject(members);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath().substring("/fhir/".length());
            String query = exchange.getRequestURI().getRawQuery();
            seen.add(new Seen(
                    exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders().getFirst("Accept"),
                    exchange.getRequestHeaders().getFirst("Authorization")));
            if (path.equals("$verify")) {
                respond(exchange, verifyManyAnswer);
            } else if (path.endsWith("/$verify")) {
                String ref = path.substring(0, path.length() - "/$verify".length());
                ref = current.getOrDefault(ref, ref);
                respond(exchange, verifyAnswers.get(ref));
            } else if (path.equals("_history") || path.endsWith("/_history")) {
                String type = path.equals("_history") ? null : path.substring(0, path.indexOf('/'));
                respond(exchange, historyPage(type, page(query)));
            } else if (gone.contains(path)) {
                send(exchange, 410, outcome("resource was deleted"));
            } else {
                respond(exchange, versions.get(path));
            }
        }
    }

    private static int page(String query) {
        if (query != null) {
            for (String part : query.split("&")) {
                if (part.startsWith("page=")) {
                    return Integer.parseInt(part.substring(5));
                }
            }
        }
        return 0;
    }

    private byte[] historyPage(String typeOrNull, int page) {
        List<JsonObject> all = new ArrayList<>();
        for (int i = history.size() - 1; i >= 0; i--) {
            JsonObject entry = history.get(i);
            String url =
                    entry.member("fullUrl").map(u -> ((JsonString) u).value()).orElse("");
            if (typeOrNull == null || url.startsWith(base() + "/" + typeOrNull + "/")) {
                all.add(entry);
            }
        }
        int from = page * pageSize;
        List<JsonValue> entries =
                new ArrayList<>(all.subList(Math.min(from, all.size()), Math.min(from + pageSize, all.size())));
        List<JsonValue> links = new ArrayList<>();
        String self = base() + (typeOrNull == null ? "" : "/" + typeOrNull) + "/_history?_format=json";
        links.add(object("relation", new JsonString("self"), "url", new JsonString(self + "&page=" + page)));
        if (from + pageSize < all.size()) {
            String next = nextLinkOverride != null ? nextLinkOverride : self + "&page=" + (page + 1);
            links.add(object("relation", new JsonString("next"), "url", new JsonString(next)));
        }
        return CanonicalJson.serialize(object(
                "resourceType",
                new JsonString("Bundle"),
                "type",
                new JsonString("history"),
                "total",
                JsonNumber.of(all.size()),
                "link",
                new JsonArray(links),
                "entry",
                new JsonArray(entries)));
    }

    private static void respond(HttpExchange exchange, byte[] body) throws IOException {
        if (body == null) {
            send(exchange, 404, outcome("not found"));
        } else {
            send(exchange, 200, body);
        }
    }

    static byte[] outcome(String diagnostics) {
        return CanonicalJson.serialize(object(
                "resourceType",
                new JsonString("OperationOutcome"),
                "issue",
                new JsonArray(List.of(object(
                        "severity",
                        new JsonString("error"),
                        "code",
                        new JsonString("processing"),
                        "diagnostics",
                        new JsonString(diagnostics))))));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/fhir+json;charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
