package org.fhiranchor.server.research;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.fhiranchor.server.anchoring.ChainConnection;
import org.fhiranchor.server.consent.ResearchConsents;
import org.fhiranchor.server.consent.ResearchConsents.Variant;
import org.fhiranchor.server.security.Role;
import org.fhiranchor.server.security.TokenIssuer;
import org.fhiranchor.server.support.Await;
import org.fhiranchor.server.support.FhirRestTest;
import org.fhiranchor.server.support.SharedData;
import org.fhiranchor.server.support.TestDataDirectory;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * The whole Synthea set, every patient consenting to research by anyone: the export completes, verifies offline,
 * decrypts, and holds every resource of every exported type. Prints its time and size (the issue asks for them).
 */
class SyntheaResearchExportTest extends FhirRestTest {

    private static final String LAB = "Organization/synthea-research-lab";

    @Autowired
    ChainConnection chain;

    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    private final Path workDir = TestDataDirectory.newSubdirectory("synthea-export-");

    @DynamicPropertySource
    static void ownContext(DynamicPropertyRegistry registry) {
        registry.add("fhir-anchor.test.context-name", () -> "research-synthea");
    }

    @AfterEach
    void removeFiles() {
        FileSystemUtils.deleteRecursively(workDir.toFile());
    }

    @Test
    void wholeSyntheaSet_allConsenting_exportsEveryResource_andVerifies() throws Exception {
        List<Path> bundles;
        try (Stream<Path> files = Files.list(SharedData.synthea())) {
            bundles = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        // Organizations and practitioners first, then the patients (the order an EHR export is loaded in).
        for (Path bundle : Stream.concat(bundles.stream().filter(p -> !p.getFileName().toString().matches("[A-Z].*")),
                bundles.stream().filter(p -> p.getFileName().toString().matches("[A-Z].*"))).toList()) {
            HttpResponse<String> response = http("POST", "", "application/fhir+json", Files.readAllBytes(bundle));
            assertThat(response.statusCode()).as(bundle.getFileName().toString()).isEqualTo(200);
        }
        List<String> patients = allIds("Patient");
        assertThat(patients).hasSizeGreaterThan(30);
        for (String patient : patients) {
            client.create().resource(ResearchConsents.of(Variant.PERMIT_ANY_RESEARCHER, "Patient/" + patient, LAB)).execute();
        }

        // The consent decisions reach the chain one transaction each; the export waits for them too, but the time
        // reported here is the export's own.
        long consentsStarted = System.nanoTime();
        Await.until("the consent decisions on chain", Duration.ofMinutes(10), () -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM anchor_consent_decision WHERE status <> 'RECORDED'", Integer.class) == 0);
        double consentSeconds = (System.nanoTime() - consentsStarted) / 1e9;

        String researcher = issuer.mint(new TokenIssuer.TokenRequest(Role.RESEARCHER, "synthea-researcher",
                Duration.ofHours(1), null, null, LAB, "HRESCH"));
        Path key = workDir.resolve("researcher.key");
        String publicKey = ResearcherCli.keygen(key);

        long started = System.nanoTime();
        String body = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"recipientPublicKey\",\"valueString\":\""
                + publicKey + "\"}]}";
        HttpResponse<String> kickOff = researchExportKickOff(researcher, body);
        assertThat(kickOff.statusCode()).as(kickOff.body()).isEqualTo(202);
        String status = kickOff.headers().firstValue("Content-Location").orElseThrow();
        String statusPath = status.substring(baseUrl().length());
        Await.until("the Synthea export", Duration.ofMinutes(10), () -> {
            HttpResponse<String> poll = http("GET", statusPath, null, null, researcher);
            assertThat(poll.statusCode()).as(poll.body()).isIn(200, 202);
            return poll.statusCode() == 200;
        });
        double seconds = (System.nanoTime() - started) / 1e9;

        Path dir = workDir.resolve("export");
        ResearcherCli fetched = ResearcherCli.run("research-fetch", "--status-url", status, "--token", researcher,
                "--dir", dir.toString());
        assertThat(fetched.exitCode()).as(fetched.toString()).isZero();
        Path plain = workDir.resolve("plain");
        ResearcherCli verified = ResearcherCli.run("research-verify", "--dir", dir.toString(), "--rpc", chain.rpcUrl(),
                "--contract", chain.ledger().contractAddress(), "--key", key.toString(), "--out", plain.toString());
        assertThat(verified.exitCode()).as(verified.toString()).isZero();

        Map<String, Integer> exported = new TreeMap<>();
        long encryptedBytes = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                encryptedBytes += Files.size(file);
            }
        }
        try (Stream<Path> files = Files.list(plain)) {
            for (Path file : files.filter(p -> p.getFileName().toString().matches("[A-Z][A-Za-z]+-\\d+\\.ndjson")).toList()) {
                String type = file.getFileName().toString().replaceAll("-\\d+\\.ndjson$", "");
                exported.merge(type, (int) Files.lines(file).count(), Integer::sum);
            }
        }
        // Every patient consents: every resource of every exported type is in the export.
        assertThat(exported).containsKeys("Patient", "Observation", "Encounter", "Condition", "MedicationRequest", "Claim");
        for (Map.Entry<String, Integer> type : exported.entrySet()) {
            assertThat(type.getValue()).as(type.getKey()).isEqualTo(count(type.getKey()));
        }
        assertThat(exported).doesNotContainKeys("AuditEvent", "Consent", "Provenance");
        System.out.printf("Synthea research export: %d patients, %d resources in %d types, %.1f s to complete,"
                + " %.1f MB encrypted (its %d consent decisions took %.1f s to reach the chain before)%n", patients.size(),
                exported.values().stream().mapToInt(Integer::intValue).sum(), exported.size(), seconds,
                encryptedBytes / 1e6, patients.size(), consentSeconds);
    }

    private List<String> allIds(String type) {
        List<String> ids = new ArrayList<>();
        Bundle page = client.search().byUrl(type + "?_elements=id&_count=500").returnBundle(Bundle.class).execute();
        while (true) {
            page.getEntry().forEach(e -> ids.add(e.getResource().getIdElement().getIdPart()));
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                return ids;
            }
            page = client.loadPage().next(page).execute();
        }
    }
}
