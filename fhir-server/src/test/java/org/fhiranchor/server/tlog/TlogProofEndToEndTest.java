package org.fhiranchor.server.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.fhiranchor.anchor.tlog.NoteSigner;
import org.fhiranchor.anchor.tlog.TlogProof;
import org.fhiranchor.anchor.verifier.VerifierCli;
import org.fhiranchor.server.anchoring.ChainConnection;
import org.fhiranchor.server.support.ClinicalFixtures;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/** $verify's tlogProof part, saved to a file and checked by the offline verifier against the real chain. */
class TlogProofEndToEndTest extends TlogHttpTest {

    @Autowired
    ChainConnection chain;

    @TempDir
    Path dir;

    @Test
    void verifierAcceptsTheServedTlogProof_withTheLogKey_andRefusesItWithAnother() throws Exception {
        String id = client.create()
                .resource(ClinicalFixtures.patient(
                        "urn:fhir-anchor:test:" + UUID.randomUUID(), "tp", "Proven", "1966-06-06"))
                .execute()
                .getId()
                .getIdPart();
        String ref = "Patient/" + id + "/_history/1";
        await("anchored")
                .atMost(Duration.ofSeconds(90))
                .until(() -> "anchored"
                        .equals(verify(ref).getParameter("status").getValue().primitiveValue()));
        Parameters result = verify(ref);
        Attachment attachment = (Attachment) result.getParameter("tlogProof").getValue();
        assertThat(attachment.getContentType()).isEqualTo("text/plain; charset=utf-8");
        String text = new String(attachment.getData(), StandardCharsets.UTF_8);
        TlogProof proof = TlogProof.parse(text);
        assertThat(proof.index())
                .isEqualTo(Long.parseLong(
                        result.getParameter("leafIndex").getValue().primitiveValue()));
        assertThat(proof.checkpoint().text())
                .startsWith(notes.origin() + "\n"
                        + result.getParameter("treeSize").getValue().primitiveValue() + "\n");

        Path proofFile = Files.write(dir.resolve("patient.tlog-proof"), attachment.getData());
        Path resourceFile =
                Files.writeString(dir.resolve("patient.json"), get("/" + ref).body());
        String contract = result.getParameter("contract").getValue().primitiveValue();

        Cli ok = cli(
                "--proof",
                proofFile.toString(),
                "--resource",
                resourceFile.toString(),
                "--log-key",
                notes.verifierKey(),
                "--contract",
                contract);
        assertThat(ok.exit()).as(ok.out()).isZero();
        assertThat(ok.out()).startsWith("VERIFIED (tlog-proof signed by " + notes.origin() + ")");

        String impostor =
                NoteSigner.fromSeed(notes.origin(), NoteSigner.generateSeed()).verifierKey();
        Cli refused = cli(
                "--proof",
                proofFile.toString(),
                "--resource",
                resourceFile.toString(),
                "--log-key",
                impostor,
                "--contract",
                contract);
        assertThat(refused.exit()).isEqualTo(VerifierCli.EXIT_NOT_VERIFIED);
        assertThat(refused.out()).startsWith("NOT VERIFIED: CHECKPOINT_SIGNATURE_INVALID");

        Path altered = Files.writeString(
                dir.resolve("altered.json"), get("/" + ref).body().replace("Proven", "Provem"));
        Cli tampered = cli(
                "--proof",
                proofFile.toString(),
                "--resource",
                altered.toString(),
                "--log-key",
                notes.verifierKey(),
                "--contract",
                contract);
        assertThat(tampered.out()).startsWith("NOT VERIFIED: CONTENT_HASH_MISMATCH");

        Cli noKey = cli("--proof", proofFile.toString(), "--resource", resourceFile.toString(), "--contract", contract);
        assertThat(noKey.exit()).isEqualTo(VerifierCli.EXIT_USAGE);
    }

    private Parameters verify(String versionRef) {
        HttpResponse<String> response = get("/" + versionRef + "/$verify");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return CLIENT_CONTEXT.newJsonParser().parseResource(Parameters.class, response.body());
    }

    private Cli cli(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "verify";
        all[1] = "--rpc";
        all[2] = chain.rpcUrl();
        System.arraycopy(args, 0, all, 3, args.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = VerifierCli.run(
                all,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()),
                Map.of());
        return new Cli(exit, out.toString(StandardCharsets.UTF_8));
    }

    private record Cli(int exit, String out) {}
}
