package org.fhiranchor.server.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.fhiranchor.server.FhirAnchorApplication;
import org.fhiranchor.server.anchoring.AnchoringStatus;
import org.fhiranchor.server.anchoring.ChainConnection;
import org.fhiranchor.server.cli.RestoreCommand;
import org.fhiranchor.server.conformance.ConformanceWalks;
import org.fhiranchor.server.security.EmbeddedIssuer;
import org.fhiranchor.server.security.Role;
import org.fhiranchor.server.security.TokenIssuer;
import org.fhiranchor.server.support.AuditSettled;
import org.fhiranchor.server.support.SharedData;
import org.fhiranchor.server.support.TestDataDirectory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole story on the real server: Synthea patients are ingested, every anchored checkpoint is archived as
 * ciphertext in the embedded store and recorded on the chain; then a FRESH server (its own empty database, nothing
 * shared with this one) is rebuilt with the restore command from the chain, the store and the key file alone, every
 * version is proven, and the fresh server holds the same resources as the original (meta aside).
 *
 * <p>Its own context and data directory rather than the shared FhirRestTest one: another test class that starts a
 * server on the shared data directory stops the shared context's dev chain (a subclass cannot override the base
 * class's {@code fhir-anchor.data-dir}), and this test needs the chain for the whole run.
 */
@SpringBootTest(classes = FhirAnchorApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ArchiveRestoreTest {

    private static final Path DATA = TestDataDirectory.newSubdirectory("archive-restore-");

    static {
        FhirAnchorApplication.useUtc();
    }

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void ownServer(DynamicPropertyRegistry registry) {
        registry.add("fhir-anchor.data-dir", DATA::toString);
        registry.add("server.address", () -> "127.0.0.1");
        registry.add("fhir-anchor.chain.embedded.port", () -> "0");
        registry.add("fhir-anchor.anchoring.checkpoint-interval", () -> "1s");
        registry.add("fhir-anchor.audit.seal-interval", () -> "1s");
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Admin token of the fresh (restored) server. */
    private String freshToken;

    @Autowired
    private EmbeddedIssuer issuer;

    @Autowired
    ArchiveStatus archiveStatus;

    @Autowired
    ArchiveRepository archives;

    @Autowired
    AnchoringStatus anchoringStatus;

    @Autowired
    ChainConnection chain;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ArchiveHealthIndicator health;

    @Value("${fhir-anchor.data-dir}")
    Path dataDir;

    @Autowired
    org.fhiranchor.server.fhir.StoredResources storedResources;

    @Autowired
    ca.uhn.fhir.context.FhirContext fhirContext;

    @Autowired
    org.fhiranchor.server.log.LogRepository log;

    @Test
    void ingestWipeRestore_everyVersionProvenAndTheFreshServerHoldsTheSameResources() throws Exception {
        List<Path> bundles;
        try (Stream<Path> files = Files.list(SharedData.synthea())) {
            bundles = files.filter(p -> p.getFileName().toString().matches("[A-Z].*\\.json"))
                    .sorted((a, b) ->
                            Long.compare(a.toFile().length(), b.toFile().length()))
                    .limit(Integer.getInteger("archive.bundles", 3))
                    .toList(); // more only for measuring (docs/archive.md)
        }
        for (Path bundle : bundles) {
            assertThat(http("POST", "", "application/fhir+json", Files.readAllBytes(bundle))
                            .statusCode())
                    .isEqualTo(200);
        }
        // A resource with several versions and a delete, so the replay has all three operations.
        String id = "arch-" + UUID.randomUUID();
        String patient =
                "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"name\":[{\"family\":\"Archivedfamily\"}]";
        assertThat(http(
                                "PUT",
                                "/Patient/" + id,
                                "application/fhir+json",
                                (patient + "}").getBytes(StandardCharsets.UTF_8))
                        .statusCode())
                .isEqualTo(201);
        assertThat(http(
                                "PUT",
                                "/Patient/" + id,
                                "application/fhir+json",
                                (patient + ",\"active\":true}").getBytes(StandardCharsets.UTF_8))
                        .statusCode())
                .isEqualTo(200);
        assertThat(http("DELETE", "/Patient/" + id, null, null).statusCode()).isEqualTo(200);

        // The audit trail of these requests is sealed in batches in the background: wait for a batch record, then for
        // everything (batch records included) to be anchored and archived.
        await("an audit batch sealed").atMost(Duration.ofMinutes(3)).until(() -> AuditSettled.sealedMembers(jdbc) > 0);
        await("everything anchored and archived").atMost(Duration.ofMinutes(3)).until(() -> {
            AnchoringStatus.Snapshot anchoring = anchoringStatus.snapshot();
            ArchiveStatus.Snapshot archive = archiveStatus.snapshot();
            return AuditSettled.settled(jdbc)
                    && anchoring.unanchoredEntries() == 0
                    && archive.archivedSize() == anchoring.logEntries()
                    && archive.unrecordedArchives() == 0;
        });
        long versions = anchoringStatus.snapshot().logEntries();
        assertThat(health.health().getDetails()).containsEntry("backlog", 0L);

        // The store holds only ciphertext: no patient's name anywhere in its files.
        String syntheaFamily = JSON.readTree(get("/Patient?_count=1&name:missing=false&_sort=-_lastUpdated")
                        .body())
                .path("entry")
                .path(0)
                .path("resource")
                .path("name")
                .path(0)
                .path("family")
                .asText();
        assertThat(syntheaFamily).isNotBlank();
        try (Stream<Path> files = Files.walk(dataDir.resolve("ipfs"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String content = Files.readString(file, StandardCharsets.ISO_8859_1);
                assertThat(content)
                        .doesNotContain(syntheaFamily)
                        .doesNotContain("Archivedfamily")
                        .doesNotContain("resourceType");
            }
        }

        // Wipe: a fresh server with its own empty data directory; only chain, store and key file are carried over.
        Path keyFile;
        try (Stream<Path> files = Files.list(DATA.resolve("keys"))) {
            keyFile = files.filter(ArchiveKeys::isKeyFile).findFirst().orElseThrow();
        }
        Path freshData = TestDataDirectory.newSubdirectory("restored-");
        // Command-line arguments: they outrank application.properties (default properties would not).
        // Anchoring on, with a dev chain of its own: the restored server starts a new log, and every restored
        // version must come out of $verify anchored in it.
        try (ConfigurableApplicationContext fresh = new SpringApplicationBuilder(FhirAnchorApplication.class)
                .run(
                        "--fhir-anchor.data-dir=" + freshData,
                        "--server.port=0",
                        "--server.address=127.0.0.1",
                        "--fhir-anchor.chain.embedded.port=0",
                        "--fhir-anchor.anchoring.checkpoint-interval=1s",
                        "--spring.jmx.enabled=false")) {
            assertThat(Files.exists(freshData.resolve("db")))
                    .as("the fresh server uses its own empty database")
                    .isTrue();
            String freshBase = "http://127.0.0.1:"
                    + ((ServletWebServerApplicationContext) fresh)
                            .getWebServer()
                            .getPort() + "/fhir";
            // The fresh server's own key: a restore token may replay archived AuditEvents; reads use an admin token.
            EmbeddedIssuer freshIssuer = fresh.getBean(EmbeddedIssuer.class);
            String restoreToken =
                    freshIssuer.mint(TokenIssuer.TokenRequest.of(Role.RESTORE, "restore", Duration.ofMinutes(30)));
            freshToken = freshIssuer.mint(TokenIssuer.TokenRequest.of(Role.ADMIN, "compare", Duration.ofMinutes(30)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Instant started = Instant.now();
            int exit = new RestoreCommand(
                            new PrintStream(out, true, StandardCharsets.UTF_8),
                            new PrintStream(err, true, StandardCharsets.UTF_8))
                    .run(List.of(
                            "--rpc",
                            chain.rpcUrl(),
                            "--contract",
                            chain.ledger().contractAddress(),
                            "--ipfs",
                            dataDir.resolve("ipfs").toString(),
                            "--archive-key-file",
                            keyFile.toString(),
                            "--fhir-base",
                            freshBase,
                            "--token",
                            restoreToken));
            Duration restoreTime = Duration.between(started, Instant.now());
            String output = out.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(output + err.toString(StandardCharsets.UTF_8)).isZero();
            // Every version written before the wait is restored and proven. The test's own requests
            // keep adding audited versions meanwhile, which may or may not be archived yet.
            java.util.regex.Matcher figures = java.util.regex.Pattern.compile(
                            "restored (\\d+) version\\(s\\).*proved (\\d+) checkpoint\\(s\\)")
                    .matcher(output);
            assertThat(figures.find()).as(output).isTrue();
            long restored = Long.parseLong(figures.group(1));
            assertThat(restored).isGreaterThanOrEqualTo(versions);
            assertThat(Long.parseLong(figures.group(2))).isPositive();

            List<String> restoredVersions = compareAllResources(freshBase, restored);

            // Every restored version is anchored in the fresh server's own log ($verify, as an auditor would ask).
            String auditor =
                    freshIssuer.mint(TokenIssuer.TokenRequest.of(Role.AUDITOR, "verify", Duration.ofMinutes(30)));
            String last = restoredVersions.get(restoredVersions.size() - 1);
            await("the restored versions anchored")
                    .atMost(Duration.ofMinutes(3))
                    .until(() -> "anchored".equals(verifyStatus(freshBase, auditor, last)));
            Map<String, String> notAnchored = new java.util.concurrent.ConcurrentHashMap<>();
            new java.util.concurrent.ForkJoinPool(4)
                    .submit(() -> restoredVersions.parallelStream().forEach(version -> {
                        String status = verifyStatus(freshBase, auditor, version);
                        if (!"anchored".equals(status)) {
                            notAnchored.put(version, status);
                        }
                    }))
                    .get();
            assertThat(notAnchored).isEmpty();

            // Real clients work unchanged on the restored server: the conformance table for every role, on a
            // restored Synthea patient (docs/security.md, "Client conformance").
            String restoredPatient = JSON.readTree(
                            raw(freshBase + "/Patient?_count=1&identifier:missing=false&name:missing=false"))
                    .path("entry")
                    .path(0)
                    .path("resource")
                    .path("id")
                    .asText();
            assertThat(restoredPatient).isNotBlank();
            new ConformanceWalks(freshBase, freshIssuer)
                    .assertRoleTable("on the restored server", false, restoredPatient);

            long envelopeBytes = jdbc.queryForObject("SELECT SUM(size_bytes) FROM anchor_archive", Long.class);
            measureArchiveThroughput(versions);
            System.out.printf(
                    "ARCHIVE-NUMBERS versions=%d archives=%d envelopeBytes=%d bytesPer1000Versions=%d "
                            + "restoreSeconds=%.1f restoreSecondsPer10000Versions=%.1f%n",
                    versions,
                    archives.all().size(),
                    envelopeBytes,
                    envelopeBytes * 1000 / versions,
                    restoreTime.toMillis() / 1000.0,
                    restoreTime.toMillis() / 1000.0 * 10_000 / versions);
        }
    }

    /**
     * The archiver's work for every leaf again, timed without the job's scheduling waits: vread, Bundle, seal, store
     * (into a scratch embedded store). Prints MB/s of plaintext Bundle and of envelope.
     */
    private void measureArchiveThroughput(long versions) throws Exception {
        EmbeddedArchiveStore scratch = new EmbeddedArchiveStore(TestDataDirectory.newSubdirectory("throughput-"));
        ArchiveBundleCodec codec = new ArchiveBundleCodec(fhirContext);
        StoredVersionSource source = new StoredVersionSource(storedResources);
        org.fhiranchor.ipfs.crypto.EnvelopeCipher cipher = new org.fhiranchor.ipfs.crypto.EnvelopeCipher(
                org.fhiranchor.ipfs.crypto.KeyRing.of("throughput", org.fhiranchor.ipfs.crypto.KeyRing.generateKey()));
        long plainBytes = 0;
        long sealedBytes = 0;
        long startedNanos = System.nanoTime();
        long readNanos = 0;
        for (long from = 0; from < versions; from += 1000) {
            long readStarted = System.nanoTime();
            long to = Math.min(versions, from + 1000);
            List<ArchivedVersion> range = new ArrayList<>();
            for (var entry : log.sequencedFrom(from, (int) (to - from))) {
                range.add(new ArchivedVersion(
                        entry.leafIndex(),
                        entry.leaf(),
                        entry.leaf().operation() == org.fhiranchor.anchor.log.Operation.DELETE
                                ? null
                                : source.read(entry.leaf().ref())));
            }
            readNanos += System.nanoTime() - readStarted;
            byte[] plain = codec.encode(from, to, range, new java.util.Date());
            byte[] sealed = cipher.seal(plain);
            scratch.put(sealed);
            plainBytes += plain.length;
            sealedBytes += sealed.length;
        }
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        double encodeSealStoreSeconds = seconds - readNanos / 1e9;
        System.out.printf(
                "ARCHIVE-THROUGHPUT versions=%d plainBytes=%d envelopeBytes=%d seconds=%.2f MBps=%.2f "
                        + "versionsPerSecond=%.0f vreadSeconds=%.2f encodeSealStoreMBps=%.2f%n",
                versions,
                plainBytes,
                sealedBytes,
                seconds,
                sealedBytes / 1e6 / seconds,
                versions / seconds,
                readNanos / 1e9,
                sealedBytes / 1e6 / encodeSealStoreSeconds);
    }

    /**
     * Every restored resource: same status on both servers and, when present, the same JSON apart from meta.
     * Returns the restored resources' current versions on the fresh server ({@code Type/id/_history/vid}).
     */
    private List<String> compareAllResources(String freshBase, long restoredLeaves) throws Exception {
        // Resources whose every version lies in the restored leaves (later ones are the test's own AuditEvents).
        List<Map<String, Object>> resources = jdbc.queryForList(
                "SELECT resource_type, resource_id FROM anchor_log_entry GROUP BY resource_type, resource_id "
                        + "HAVING MAX(COALESCE(leaf_index, " + Long.MAX_VALUE + ")) < ?",
                restoredLeaves);
        List<String> differences = new ArrayList<>();
        List<String> versions = new ArrayList<>();
        for (Map<String, Object> row : resources) {
            String path = "/" + row.get("resource_type") + "/" + row.get("resource_id");
            HttpResponse<String> original = get(path);
            HttpResponse<String> restored = rawResponse(freshBase + path);
            if (original.statusCode() != restored.statusCode()) {
                differences.add(path + ": " + original.statusCode() + " vs " + restored.statusCode());
            } else if (original.statusCode() == 200
                    && !withoutMeta(original.body()).equals(withoutMeta(restored.body()))) {
                differences.add(path + ": content differs");
            }
            if (restored.statusCode() == 200) {
                versions.add(path.substring(1) + "/_history/"
                        + JSON.readTree(restored.body())
                                .path("meta")
                                .path("versionId")
                                .asText());
            }
        }
        // The audit trail too: every AuditEvent sealed in a batch whose record lies in the restored leaves travelled
        // with that record's archive (docs/archive.md) and is restored as it was.
        List<String> members = jdbc.queryForList(
                "SELECT m.resource_type || '/' || m.resource_id FROM anchor_batch_member m "
                        + "JOIN anchor_log_entry e ON e.resource_type = m.batch_type AND e.resource_id = m.batch_id "
                        + "AND e.version_id = m.batch_version WHERE e.leaf_index < ?",
                String.class,
                restoredLeaves);
        assertThat(members).as("sealed AuditEvents in the restored range").isNotEmpty();
        for (String member : members) {
            HttpResponse<String> original = get("/" + member);
            HttpResponse<String> restored = rawResponse(freshBase + "/" + member);
            if (restored.statusCode() != 200 || !withoutMeta(original.body()).equals(withoutMeta(restored.body()))) {
                differences.add(member + ": " + restored.statusCode() + ", not restored as it was");
            }
        }
        assertThat(differences).isEmpty();
        assertThat(resources.size()).isGreaterThan(100);
        return versions;
    }

    /** The {@code status} of {@code $verify} for one version on the fresh server, or the HTTP status. */
    private String verifyStatus(String freshBase, String bearer, String version) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(freshBase + "/" + version + "/$verify"))
                            .header("Accept", "application/fhir+json")
                            .header("Authorization", "Bearer " + bearer)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return "HTTP " + response.statusCode();
            }
            for (JsonNode parameter : JSON.readTree(response.body()).path("parameter")) {
                if (parameter.path("name").asText().equals("status")) {
                    return parameter
                            .path("valueCode")
                            .asText(parameter.path("valueString").asText());
                }
            }
            return "no status";
        } catch (Exception e) {
            return e.toString();
        }
    }

    private HttpResponse<String> http(String method, String path, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/fhir" + path))
                .timeout(Duration.ofMinutes(5))
                .header("Accept", "application/fhir+json")
                .header(
                        "Authorization",
                        "Bearer "
                                + issuer.mint(TokenIssuer.TokenRequest.of(
                                        Role.ADMIN, "archive-test", Duration.ofMinutes(30))))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http("GET", path, null, null);
    }

    private static JsonNode withoutMeta(String body) throws Exception {
        ObjectNode node = (ObjectNode) JSON.readTree(body);
        node.remove("meta");
        return node;
    }

    private String raw(String url) throws Exception {
        HttpResponse<String> response = rawResponse(url);
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    private HttpResponse<String> rawResponse(String url) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Accept", "application/fhir+json")
                        .header("Authorization", "Bearer " + freshToken)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
