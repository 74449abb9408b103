package org.fhiranchor.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.fhiranchor.anchor.chain.LedgerSettings;
import org.fhiranchor.anchor.chain.OnChainCheckpoint;
import org.fhiranchor.anchor.chain.Web3jLedger;
import org.fhiranchor.server.cli.ServerLauncher;

/** What the process tests ask a running server, over HTTP like any client. */
final class AnchoringClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String base;
    private final String token;

    /** A client of a server started by the test, with an admin token minted from that server's key. */
    AnchoringClient(ServerLauncher server) {
        this.base = server.baseUrl();
        this.token = server.token("admin");
    }

    int postBundle(Path bundle) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base))
                .timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/fhir+json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(bundle)))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path))
                        .timeout(Duration.ofMinutes(5))
                        .header("Accept", "application/fhir+json, application/json")
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + " for " + path + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** The anchoring health details (public actuator endpoint). */
    JsonNode anchoringHealth() throws IOException, InterruptedException {
        return anchoringHealthRoot().path("components").path("anchoring").path("details");
    }

    /** The whole health answer with its details (the admin token shows them), also while it is DOWN (503). */
    JsonNode anchoringHealthRoot() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(base.replace("/fhir", "/actuator/health")))
                        .timeout(Duration.ofMinutes(1))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 && response.statusCode() != 503) {
            throw new IOException("HTTP " + response.statusCode() + " for health: " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Every problem the audit sweep reports (mismatches and unlogged versions), all pages. */
    List<String> sweepProblems() throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        long cursor = 0;
        while (true) {
            JsonNode page = get("/$audit-sweep?_count=2000&cursor=" + cursor);
            long next = 0;
            for (JsonNode p : page.path("parameter")) {
                switch (p.path("name").asText()) {
                    case "mismatch" ->
                        problems.add("mismatch "
                                + p.path("part").path(0).path("valueString").asText());
                    case "unlogged" ->
                        problems.add("unlogged " + p.path("valueString").asText());
                    case "next" -> next = p.path("valueInteger").asLong();
                    default -> {}
                }
            }
            if (next == 0) {
                return problems;
            }
            cursor = next;
        }
    }

    /** Tree sizes and roots of the checkpoints the server lists, in order. */
    List<JsonNode> checkpoints() throws IOException, InterruptedException {
        List<JsonNode> all = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page = get("/$checkpoints?_count=1000&after=" + after);
            int n = 0;
            for (JsonNode p : page.path("parameter")) {
                all.add(p);
                n++;
                after = part(p, "treeSize").asLong();
            }
            if (n < 1000) {
                return all;
            }
        }
    }

    /**
     * Exactly once, both ways: every checkpoint on chain (read first) is one the server lists
     * (fetched after, so it includes checkpoints anchored meanwhile) with the same root, and every
     * checkpoint the server calls anchored is on chain with that root. Returns how many are on chain.
     */
    long assertChainMatchesServer(String rpcUrl) throws Exception {
        String contract = part(checkpoints().get(0), "contract").asText();
        try (Web3jLedger chain = Web3jLedger.readOnly(LedgerSettings.forUrl(rpcUrl), contract)) {
            long onChain = chain.checkpointCount();
            java.util.Map<Long, JsonNode> listed = new java.util.HashMap<>();
            for (JsonNode checkpoint : checkpoints()) {
                listed.put(part(checkpoint, "treeSize").asLong(), checkpoint);
            }
            for (long i = 0; i < onChain; i++) {
                OnChainCheckpoint atIndex = chain.checkpointAt(i).orElseThrow();
                JsonNode known = listed.get(atIndex.treeSize());
                if (known == null
                        || !part(known, "rootHash")
                                .asText()
                                .equals(HexFormat.of().formatHex(atIndex.root()))) {
                    throw new AssertionError("checkpoint " + i + " on chain (size " + atIndex.treeSize()
                            + ") is not one the server took");
                }
            }
            for (JsonNode checkpoint : listed.values()) {
                if (part(checkpoint, "status").asText().equals("anchored")) {
                    OnChainCheckpoint onChainCopy = chain.checkpointBySize(
                                    part(checkpoint, "treeSize").asLong())
                            .orElseThrow();
                    if (!HexFormat.of()
                            .formatHex(onChainCopy.root())
                            .equals(part(checkpoint, "rootHash").asText())) {
                        throw new AssertionError("root differs on chain at size " + part(checkpoint, "treeSize"));
                    }
                }
            }
            return onChain;
        }
    }

    static JsonNode part(JsonNode parameter, String name) {
        for (JsonNode p : parameter.path("part")) {
            if (p.path("name").asText().equals(name)) {
                return p.has("valueInteger") ? p.path("valueInteger") : p.path("valueString");
            }
        }
        return JSON.missingNode();
    }
}
