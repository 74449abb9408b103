package org.fhiranchor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The restore command's contract at its edges (the full restore runs in ArchiveRestoreTest). */
class RestoreCommandTest {

    @Test
    void missingArguments_printUsageAndExit2() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new RestoreCommand(
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(List.of("--rpc", "http://127.0.0.1:1"));
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: restore");
    }

    @Test
    void missingKeyFile_exits2BeforeReadingAnything() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new RestoreCommand(
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(List.of(
                        "--rpc",
                        "http://127.0.0.1:1",
                        "--contract",
                        "0x0000000000000000000000000000000000000001",
                        "--ipfs",
                        "http://127.0.0.1:1",
                        "--archive-key-file",
                        "target/archive-none.key",
                        "--fhir-base",
                        "http://127.0.0.1:1/fhir"));
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("restore failed");
    }
}
