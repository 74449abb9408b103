package org.fhiranchor.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.fhiranchor.anchor.verifier.VerifierCli;
import org.fhiranchor.server.security.Role;
import org.fhiranchor.server.security.TokenIssuer;
import org.fhiranchor.server.support.FhirRestTest;
import org.fhiranchor.server.support.TestDataDirectory;
import org.junit.jupiter.api.Test;

/**
 * Real FHIR clients work unchanged, for every role: HAPI's generic client (Java) and fhir-kit-client (npm, run
 * by node) walk the same interactions ({@link ConformanceWalks}), and each outcome must be the one in
 * {@link ConformanceTable#EXPECTED} (docs/security.md, "Client conformance"), before and after a research export
 * considered the patient.
 */
class ClientConformanceTest extends FhirRestTest {

    @Test
    void everyRole_getsTheDocumentedOutcome_fromBothClients_beforeAndAfterAResearchExport() throws Exception {
        ConformanceWalks walks = new ConformanceWalks(baseUrl(), issuer);
        walks.assertRoleTable("before a research export", true, null);
        researchExport();
        walks.assertRoleTable("after a research export", true, null);
    }

    /** A research export that considers every patient, so that its release decisions name them. */
    private void researchExport() throws Exception {
        Path dir = TestDataDirectory.newSubdirectory("conformance-");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = VerifierCli.run(
                new String[] {
                    "research-keygen", "--out", dir.resolve("researcher.key").toString()
                },
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                System.err,
                Map.of());
        assertThat(code).isZero();
        String publicKey = out.toString(StandardCharsets.UTF_8)
                .lines()
                .map(String::trim)
                .filter(l -> l.matches("[A-Za-z0-9_-]{43}"))
                .findFirst()
                .orElseThrow();
        String researcher = issuer.mint(new TokenIssuer.TokenRequest(
                Role.RESEARCHER,
                "conformance-researcher",
                Duration.ofMinutes(30),
                null,
                null,
                "Organization/conformance-lab",
                "HRESCH"));
        var kickOff = researchExportKickOff(
                researcher,
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":"
                        + "\"recipientPublicKey\",\"valueString\":\"" + publicKey + "\"}]}");
        assertThat(kickOff.statusCode()).as(kickOff.body()).isEqualTo(202);
        String status = kickOff.headers()
                .firstValue("Content-Location")
                .orElseThrow()
                .substring(baseUrl().length());
        await("the research export").atMost(Duration.ofMinutes(10)).until(() -> {
            var poll = http("GET", status, null, null, researcher);
            assertThat(poll.statusCode()).as(poll.body()).isIn(200, 202);
            return poll.statusCode() == 200;
        });
        TestDataDirectory.deleteRecursively(dir);
    }
}
