package org.fhiranchor.anchor.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.fhiranchor.anchor.chain.InMemoryLedger;
import org.fhiranchor.anchor.export.ResearchExportVerifier.Check;
import org.fhiranchor.anchor.export.ResearchExportVerifier.Report;
import org.fhiranchor.anchor.export.ResearchExportVerifier.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResearchExportVerifierTest {

    @TempDir
    Path tmp;

    private InMemoryLedger ledger = new InMemoryLedger();

    private ExportFixture build(ExportFixture.Options options) throws IOException {
        return new ExportFixture().build(tmp.resolve("export"), ledger, null, options);
    }

    private Report verify(byte[] key, Path out) {
        List<Check> seen = new ArrayList<>();
        Report report = new ResearchExportVerifier(ledger).verify(tmp.resolve("export"), key, out, seen::add);
        assertEquals(report.checks(), seen);
        return report;
    }

    private static void assertFailsAt(Report report, int check, String detailPart) {
        Check problem = report.firstProblem().orElseThrow(() -> new AssertionError("verified: " + report));
        assertEquals(check, problem.number(), problem.toString());
        assertEquals(Status.FAILED, problem.status(), problem.toString());
        assertTrue(problem.detail().contains(detailPart), problem.detail());
        assertFalse(report.verified());
        assertEquals(check, report.checks().size(), "the first failure ends the run");
    }

    @Test
    void anHonestExportVerifies_andIsDecryptedOnlyThen() throws IOException {
        ExportFixture fixture = build(new ExportFixture.Options(false, false, false, true));
        Path out = tmp.resolve("plain");
        Report report = verify(fixture.researcher.privateKey(), out);
        assertTrue(report.complete(), report.toString());
        assertEquals(6, report.checks().size());
        assertTrue(
                report.checks()
                        .get(0)
                        .detail()
                        .startsWith("Provenance/prov1/_history/1 is leaf 15 of the tree of size 16"),
                report.checks().get(0).detail());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(
                    List.of("Observation-1.ndjson", "Patient-1.ndjson", "consent-decisions.ndjson", "sources-1.ndjson"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertTrue(
                Files.readString(out.resolve("Patient-1.ndjson")).startsWith("{\"gender\":\"female\",\"id\":\"pa\""));

        // The model round-trips through its files.
        assertEquals(
                fixture.manifest,
                ResearchExportManifest.parse(Files.readAllBytes(tmp.resolve("export/manifest.json"))));
        ExportProof proof = ExportProof.parse(Files.readAllBytes(tmp.resolve("export/export-proof.json")));
        assertArrayEquals(fixture.proof.toJson(), proof.toJson());
        assertEquals(fixture.proof.provenanceProof(), proof.provenanceProof());
    }

    @Test
    void withoutAKeyChecksOneToThreeRun() throws IOException {
        build(ExportFixture.Options.honest());
        Report report = verify(null, null);
        assertTrue(report.verified());
        assertFalse(report.complete());
        assertEquals(
                List.of(Status.PASSED, Status.PASSED, Status.PASSED, Status.SKIPPED, Status.SKIPPED, Status.SKIPPED),
                report.checks().stream().map(Check::status).toList());
    }

    @Test
    void aModifiedDataFileFailsItsHash() throws IOException {
        ExportFixture fixture = build(ExportFixture.Options.honest());
        Path file = tmp.resolve("export/Observation-1.ndjson.enc");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 1;
        Files.write(file, bytes);
        assertFailsAt(
                verify(fixture.researcher.privateKey(), tmp.resolve("plain")), 3, "Observation-1.ndjson.enc hashes to");
        try (Stream<Path> files = Files.list(tmp)) {
            assertFalse(files.anyMatch(p -> p.endsWith("plain")), "nothing decrypted");
        }
    }

    @Test
    void aModifiedManifestIsNotTheOneTheProvenanceNames() throws IOException {
        ExportFixture fixture = build(ExportFixture.Options.honest());
        Path file = tmp.resolve("export/manifest.json");
        Files.writeString(file, Files.readString(file).replace("\"included\":2", "\"included\":3"));
        assertFailsAt(
                verify(fixture.researcher.privateKey(), null), 2, "the Provenance names " + fixture.manifest.sha256());
    }

    @Test
    void aWrongSourceLeafFailsTheMultiProof_andDecryptedFilesAreRemoved() throws IOException {
        ExportFixture fixture = build(new ExportFixture.Options(true, false, false, false));
        Path out = tmp.resolve("plain");
        assertFailsAt(verify(fixture.researcher.privateKey(), out), 5, "root mismatch");
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(0, files.count(), "a failed export leaves no decrypted file behind");
        }
    }

    @Test
    void aConsentDecisionNotOnChainFails() throws IOException {
        ExportFixture fixture = build(new ExportFixture.Options(false, true, false, false));
        assertFailsAt(verify(fixture.researcher.privateKey(), null), 6, "(for Patient/pb) is not on chain");
    }

    @Test
    void aDenyOnChainFails() throws IOException {
        ExportFixture fixture = build(new ExportFixture.Options(false, false, true, false));
        assertFailsAt(verify(fixture.researcher.privateKey(), null), 6, "is recorded on chain as a deny");
    }

    @Test
    void anotherKeyCannotDecrypt() throws IOException {
        build(ExportFixture.Options.honest());
        RecipientBox.KeyPair other = RecipientBox.generateKeyPair();
        assertFailsAt(verify(other.privateKey(), null), 4, "is not the export's recipient");
    }
}
