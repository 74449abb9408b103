package org.fhiranchor.server.tlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fhiranchor.anchor.tlog.NoteSigner;
import org.fhiranchor.server.security.Role;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Interoperability, proven by an independent implementation: {@code src/test/go/tlogcheck}, built with Go's
 * reference code for signed notes and tiled logs (golang.org/x/mod/sumdb/note and sumdb/tlog, Debian's
 * golang-go and golang-golang-x-mod-dev, GOPATH mode, offline), verifies the served checkpoint, tiles, inclusion
 * and consistency proofs and entry bundles, given only the log's URL, its verifier key and a token for the entries.
 * Skipped only when {@code go} is missing outside CI; under {@code CI=true} a missing Go fails the test.
 */
class GoTlogInteropTest extends TlogHttpTest {

    private static final Path SOURCE = Path.of("src", "test", "go", "tlogcheck", "main.go");
    private static final Path BINARY = Path.of("target", "go", "tlogcheck");

    @Test
    void goReferenceCodeVerifiesCheckpointTilesProofsAndEntries() throws Exception {
        buildChecker();
        // More than one full tile, so that level 1 and full and partial tiles are all exercised.
        long size = writeAndAwaitCheckpoint(Math.max(0, 300 - (int) log.head().treeSize()) + 2);
        assertThat(size).isGreaterThan(256);

        Run run = run(List.of("-log", logUrl(), "-vkey", notes.verifierKey(), "-token", token(Role.AUDITOR)));
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output())
                .contains(
                        "signature verified",
                        "tree hash recomputed from the tiles equals the checkpoint root",
                        "consistency: 4 older sizes proven consistent")
                .containsPattern("entries: \\d+ entries hash to their leaves");
        assertThat(run.lastLine()).startsWith("OK " + notes.origin() + " size=");

        // The same check with another key of the same name must fail: the checker really checks the signature.
        String impostor =
                NoteSigner.fromSeed(notes.origin(), NoteSigner.generateSeed()).verifierKey();
        Run refused = run(List.of("-log", logUrl(), "-vkey", impostor));
        assertThat(refused.exit()).as(refused.output()).isNotZero();
        assertThat(refused.output()).contains("FAIL checkpoint signature");
    }

    private String logUrl() {
        return "http://127.0.0.1:" + port + "/log";
    }

    private static void buildChecker() throws Exception {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        boolean haveGo;
        try {
            haveGo = new ProcessBuilder("go", "version")
                            .redirectErrorStream(true)
                            .start()
                            .waitFor()
                    == 0;
        } catch (IOException e) {
            haveGo = false;
        }
        if (!haveGo && !ci) {
            Assumptions.abort(
                    "Go is not installed (apt-get install golang-go golang-golang-x-mod-dev; .ci/run does it): "
                            + "the independent C2SP check did not run");
        }
        assertThat(haveGo)
                .as("CI=true but `go` is not on the PATH: .ci/run installs golang-go")
                .isTrue();
        Files.createDirectories(BINARY.getParent());
        Run build = exec(List.of("go", "build", "-o", BINARY.toString(), SOURCE.toString()));
        assertThat(build.exit())
                .as("go build failed (is golang-golang-x-mod-dev installed?):\n" + build.output())
                .isZero();
    }

    private static Run run(List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(BINARY.toAbsolutePath().toString());
        command.addAll(args);
        return exec(command);
    }

    private static Run exec(List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        // GOPATH mode against Debian's sources: no module proxy, no network.
        env.put("GO111MODULE", "off");
        env.put("GOPATH", "/usr/share/gocode");
        env.put("GOFLAGS", "");
        env.put("GOPROXY", "off");
        env.put("GOCACHE", BINARY.getParent().resolve("cache").toAbsolutePath().toString());
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command.get(0));
        }
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private record Run(int exit, String output) {
        String lastLine() {
            String[] lines = output.strip().split("\n");
            return lines[lines.length - 1];
        }
    }
}
