package org.fhiranchor.server.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.fhiranchor.server.FhirAnchorApplication;
import org.fhiranchor.server.anchoring.AnchoringStatus;
import org.fhiranchor.server.security.EmbeddedIssuer;
import org.fhiranchor.server.security.Role;
import org.fhiranchor.server.security.TokenIssuer;
import org.fhiranchor.server.support.AuditSettled;
import org.fhiranchor.server.support.SharedData;
import org.fhiranchor.server.support.TestDataDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The server in kubo mode, with its IPFS node (a fake Kubo RPC on loopback) gone during an ingest: writes and
 * anchoring go on, the archive backlog grows and health says so; once the node is back every anchored leaf is
 * archived, in order, with nothing skipped.
 *
 * <p>Not a FhirRestTest subclass on purpose: a subclass's {@code @DynamicPropertySource} cannot override the base
 * class's {@code fhir-anchor.data-dir} (the base registration wins), and this server must not share the shared
 * context's database, chain state or key directory.
 */
@SpringBootTest(classes = FhirAnchorApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class KuboOutageTest {

    static {
        FhirAnchorApplication.useUtc();
    }

    private static final Path DATA = TestDataDirectory.newSubdirectory("kubo-outage-");
    private static final FakeKuboNode NODE = startNode();

    @Autowired
    private EmbeddedIssuer issuer;

    @Autowired
    ArchiveStatus archiveStatus;

    @Autowired
    ArchiveRepository archives;

    @Autowired
    AnchoringStatus anchoringStatus;

    @Autowired
    ArchiveHealthIndicator health;

    @Autowired
    javax.sql.DataSource dataSource;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void kuboMode(DynamicPropertyRegistry registry) {
        registry.add("fhir-anchor.data-dir", () -> DATA.toString());
        registry.add("server.address", () -> "127.0.0.1");
        registry.add("fhir-anchor.chain.embedded.port", () -> "0");
        registry.add("fhir-anchor.anchoring.checkpoint-interval", () -> "1s");
        registry.add("fhir-anchor.audit.seal-interval", () -> "1s");
        registry.add("fhir-anchor.ipfs.mode", () -> "kubo");
        registry.add("fhir-anchor.ipfs.kubo-api-url", () -> NODE.apiUrl().toString());
        registry.add("fhir-anchor.ipfs.timeout", () -> "3s");
        registry.add("fhir-anchor.archive.job-interval", () -> "500ms");
    }

    @AfterAll
    static void stopNode() {
        NODE.close();
    }

    @Test
    void nodeDownDuringIngest_writesContinue_archivingCatchesUp() throws Exception {
        List<Path> bundles;
        try (Stream<Path> files = Files.list(SharedData.synthea())) {
            bundles = files.filter(p -> p.getFileName().toString().matches("[A-Z].*\\.json"))
                    .sorted((a, b) ->
                            Long.compare(a.toFile().length(), b.toFile().length()))
                    .limit(3)
                    .toList();
        }
        post(bundles.get(0));
        await("first bundle archived")
                .atMost(Duration.ofMinutes(3))
                .until(() -> anchoringStatus.snapshot().unanchoredEntries() == 0
                        && archiveStatus.snapshot().backlog() == 0
                        && archiveStatus.snapshot().archivedSize() > 0);
        long archivedBefore = archiveStatus.snapshot().archivedSize();

        NODE.stop();
        post(bundles.get(1));
        post(bundles.get(2));
        await("the rest anchored while IPFS is away")
                .atMost(Duration.ofMinutes(3))
                .until(() -> anchoringStatus.snapshot().unanchoredEntries() == 0);
        await("archiver noticed")
                .atMost(Duration.ofMinutes(3))
                .until(() -> archiveStatus.snapshot().lastError() != null);
        ArchiveStatus.Snapshot during = archiveStatus.snapshot();
        assertThat(during.archivedSize()).isEqualTo(archivedBefore);
        assertThat(during.backlog()).isPositive();
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.health().getDetails()).containsEntry("backlog", during.backlog());

        NODE.restart();
        // Caught up with everything, the audit batch records the server seals in the background included.
        org.springframework.jdbc.core.JdbcTemplate jdbc = new org.springframework.jdbc.core.JdbcTemplate(dataSource);
        await("archiving caught up")
                .atMost(Duration.ofMinutes(3))
                .until(() -> AuditSettled.settled(jdbc)
                        && anchoringStatus.snapshot().unanchoredEntries() == 0
                        && archiveStatus.snapshot().backlog() == 0
                        && archiveStatus.snapshot().unrecordedArchives() == 0
                        && archiveStatus.snapshot().archivedSize()
                                == anchoringStatus.snapshot().logEntries());

        List<ArchiveRecord> all = archives.all();
        long expectedFrom = 0;
        for (ArchiveRecord record : all) {
            assertThat(record.fromSize()).isEqualTo(expectedFrom);
            assertThat(record.status()).isEqualTo(ArchiveRecord.Status.RECORDED);
            expectedFrom = record.toSize();
        }
        assertThat(expectedFrom).isEqualTo(anchoringStatus.snapshot().logEntries());
        assertThat(NODE.objectCount()).isGreaterThanOrEqualTo(all.size());
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    private void post(Path bundle) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/fhir"))
                                .header("Content-Type", "application/fhir+json")
                                .header(
                                        "Authorization",
                                        "Bearer "
                                                + issuer.mint(TokenIssuer.TokenRequest.of(
                                                        Role.EHR, "kubo-test", Duration.ofMinutes(30))))
                                .POST(HttpRequest.BodyPublishers.ofFile(bundle))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private static FakeKuboNode startNode() {
        try {
            return FakeKuboNode.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
