package org.fhiranchor.anchor.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.fhiranchor.anchor.log.MerkleHash;
import org.fhiranchor.anchor.tlog.NoteSigner;
import org.fhiranchor.anchor.tlog.NoteVerifier;
import org.fhiranchor.anchor.tlog.SignedNote;
import org.fhiranchor.anchor.tlog.TlogCheckpoint;
import org.fhiranchor.anchor.tlog.WitnessClient;
import org.fhiranchor.anchor.tlog.WitnessServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code witness}: the verifier jar's witness command, started as a user would, cosigning for the log client. */
class WitnessCommandTest {

    @TempDir
    Path dir;

    @Test
    void startsOnLoopback_printsItsKey_keepsItAcrossRestarts_andCosigns() throws Exception {
        NoteSigner log = NoteSigner.fromSeed("hospital-a.example/log", NoteSigner.generateSeed());
        String[] args = {
            "witness",
            "--name",
            "hospital-b.example/witness",
            "--key-file",
            dir.resolve("w.key").toString(),
            "--state",
            dir.resolve("w.state").toString(),
            "--log",
            log.verifierKey()
        };
        String key;
        try (WitnessServer server = WitnessCommand.start(args, new PrintStream(new ByteArrayOutputStream()))) {
            assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("w.key"))))
                .isEqualTo("rw-------");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (WitnessServer server = WitnessCommand.start(args, new PrintStream(out, true, StandardCharsets.UTF_8))) {
            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(printed).startsWith("witness hospital-b.example/witness listening on " + server.url());
            key = printed.lines()
                    .filter(l -> l.startsWith("cosignature key: "))
                    .findFirst()
                    .orElseThrow()
                    .substring(17);
            NoteVerifier witnessKey = NoteVerifier.parse(key);
            SignedNote checkpoint = SignedNote.parse(
                    log.sign(new TlogCheckpoint(log.name(), 1, MerkleHash.leaf(new byte[] {1})).text()));
            SignedNote.Line line = new WitnessClient(URI.create(server.url()), witnessKey, Duration.ofSeconds(10))
                    .cosign(checkpoint, (m, n) -> List.of());
            assertThat(checkpoint.withSignature(line).verifiedBy(List.of(witnessKey)))
                    .hasSize(1);
        }
        assertThatThrownBy(() -> WitnessCommand.start(new String[] {"witness", "--name", "w"}, System.out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is required");
        assertThatThrownBy(() -> WitnessCommand.start(
                        new String[] {"witness", "--name", "w", "--key-file", "k", "--state", "s", "--log", key},
                        System.out))
                .hasMessageContaining("not a witness key");
    }
}
