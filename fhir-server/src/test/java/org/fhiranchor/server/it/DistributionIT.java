package org.fhiranchor.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fhiranchor.server.cli.ServerLauncher;
import org.fhiranchor.server.support.TestDataDirectory;
import org.junit.jupiter.api.Test;

/**
 * The distribution archive the build produces, as a new user meets it: unpacked into an empty
 * directory outside the repository (so nothing can be found in the checkout's node_modules),
 * started by {@code bin/fhir-anchor-server} from another empty directory with only environment
 * settings, then used with a token from the documented {@code token} command.
 */
class DistributionIT {

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void unpackedAnywhere_startsWithEnvironmentOnly_andTheTokenCommandMintsTokensItAccepts() throws Exception {
        Path archive = Path.of(System.getProperty("fhir-anchor.dist.archive", "target/fhir-anchor-dist.tar.gz"));
        assertThat(archive).exists();
        Path root = Files.createTempDirectory("fhir-anchor-dist-it");
        try {
            run(root, Map.of(), "tar", "-xzf", archive.toAbsolutePath().toString(), "-C", root.toString());
            Path home;
            try (var entries = Files.list(root)) {
                home = entries.filter(Files::isDirectory).findFirst().orElseThrow();
            }
            assertThat(home.resolve("lib/fhir-anchor-server.jar")).isRegularFile();
            assertThat(home.resolve("lib/anvil")).isExecutable();
            assertThat(home.resolve("config/application.properties")).isRegularFile();
            assertThat(home.resolve("docs/configuration.md")).isRegularFile();
            Path script = home.resolve("bin/fhir-anchor-server");
            assertThat(script).isExecutable();

            Path work = Files.createDirectories(root.resolve("site"));
            int port = ServerLauncher.freePort();
            Map<String, String> env = cleanEnvironment();
            env.put("FHIR_ANCHOR_PORT", Integer.toString(port));
            env.put("FHIR_ANCHOR_CHAIN_EMBEDDED_PORT", "0");
            try (ServerLauncher server =
                    ServerLauncher.launch(List.of(script.toString()), work, work.resolve("data"), port, env)) {
                // The dev chain it started is the distribution's own anvil, found beside the jar.
                assertThat(ProcessHandle.of(server.pid())
                                .orElseThrow()
                                .descendants()
                                .map(p -> p.info().command().orElse("")))
                        .contains(home.resolve("lib/anvil").toString());

                // The documented command, from the server's working directory: same ./data, same key.
                String token = run(work, env, script.toString(), "token", "--role", "ehr", "--subject", "dist-it")
                        .trim();
                assertThat(get(server.baseUrl() + "/metadata", token)).isEqualTo(200);
                assertThat(get(server.baseUrl() + "/Patient", token)).isEqualTo(200);
                assertThat(get(server.baseUrl() + "/Patient", null)).isEqualTo(401);

                // From elsewhere: told where the data is (environment), or refused, never a new key.
                Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
                Map<String, String> withDataDir = new HashMap<>(env);
                withDataDir.put("FHIR_ANCHOR_DATA_DIR", work.resolve("data").toString());
                String fromElsewhere =
                        run(elsewhere, withDataDir, script.toString(), "token", "--role", "ehr", "--subject", "x");
                assertThat(get(server.baseUrl() + "/Patient", fromElsewhere.trim()))
                        .isEqualTo(200);
                Result refused = start(elsewhere, env, script.toString(), "token", "--role", "ehr", "--subject", "x");
                assertThat(refused.exit()).isEqualTo(1);
                assertThat(refused.output()).contains("No signing key").contains("FHIR_ANCHOR_DATA_DIR");
                assertThat(elsewhere.resolve("data")).doesNotExist();
            }
        } finally {
            keepServerLogs(root.resolve("site/data"));
            TestDataDirectory.deleteRecursively(root);
        }
    }

    /** The unpacked distribution is large: only the server's log is kept, in target/, for whoever looks. */
    private static void keepServerLogs(Path dataDir) throws IOException {
        if (!Files.isDirectory(dataDir)) {
            return;
        }
        Path kept = Files.createDirectories(Path.of("target", "distribution-it"));
        try (var logs = Files.list(dataDir)) {
            for (Path log : logs.filter(p -> p.getFileName().toString().endsWith(".log"))
                    .toList()) {
                Files.copy(log, kept.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** This JVM's environment without anything that could point the server at the repository. */
    private static Map<String, String> cleanEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", System.getProperty("user.home"));
        env.put("JAVA_OPTS", "-Xmx1g");
        return env;
    }

    private int get(String url, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMinutes(1))
                .header("Accept", "application/fhir+json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    record Result(int exit, String output) {}

    private static String run(Path dir, Map<String, String> env, String... command) throws Exception {
        Result result = start(dir, env, command);
        assertThat(result.exit())
                .as(String.join(" ", command) + ": " + result.output())
                .isZero();
        return result.output();
    }

    /** Runs a command to completion; stdout only in the output unless it fails (then stderr too). */
    private static Result start(Path dir, Map<String, String> env, String... command) throws Exception {
        Path err = Files.createTempFile("dist-it", ".err");
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(dir.toFile()).redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().putAll(env.isEmpty() ? cleanEnvironment() : env);
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish");
        }
        String errors = Files.readString(err);
        Files.delete(err);
        return new Result(process.exitValue(), process.exitValue() == 0 ? out : out + errors);
    }
}
