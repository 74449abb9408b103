package org.fhiranchor.server.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fhiranchor.server.security.TokenCommand;

/**
 * A FHIR Anchor server started from its jar as a separate process on a free loopback port: for
 * the benchmark and for tests that must kill it like a crash would.
 */
public final class ServerLauncher implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(15);

    private final Process process;
    private final Path dataDir;
    private final int port;
    private final Path logFile;
    private final long startMillis;

    private ServerLauncher(Process process, Path dataDir, int port, Path logFile, long startMillis) {
        this.process = process;
        this.dataDir = dataDir;
        this.port = port;
        this.logFile = logFile;
        this.startMillis = startMillis;
    }

    /**
     * @param environment secrets go there, never on the command line where ps shows them
     */
    public static ServerLauncher start(
            Path jar, Path dataDir, List<String> extraArgs, Map<String, String> environment) {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-jar",
                jar.toString(),
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--fhir-anchor.data-dir=" + dataDir,
                "--fhir-anchor.chain.embedded.port=0"));
        command.addAll(extraArgs);
        return launch(command, null, dataDir, port, environment);
    }

    /**
     * Runs {@code command} (a server start however it is spelled: {@code java -jar}, a distribution's
     * {@code bin/fhir-anchor-server}) and waits for its first 200 on /fhir/metadata.
     *
     * @param workingDirectory the process's working directory, or null for this process's
     * @param dataDir the data directory the server uses (its log goes there too)
     * @param port the port the server was told to listen on (by argument or environment)
     */
    public static ServerLauncher launch(
            List<String> command, Path workingDirectory, Path dataDir, int port, Map<String, String> environment) {
        try {
            Files.createDirectories(dataDir);
            Path log = dataDir.resolve("server-" + port + ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            if (workingDirectory != null) {
                builder.directory(workingDirectory.toFile());
            }
            builder.environment().putAll(environment);
            long started = System.currentTimeMillis();
            ServerLauncher server = new ServerLauncher(builder.start(), dataDir, port, log, started);
            // Generous: on a 2-core machine shared with other builds a start has taken 9 minutes.
            server.awaitReady(STARTUP_TIMEOUT);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port + "/fhir";
    }

    /**
     * A bearer token of {@code role} for this server, minted from the signing key it created in
     * its data directory (as the {@code token} command does).
     */
    public String token(String role) {
        return token(role, new String[0]);
    }

    /** A token of {@code role} with further {@code token} command options (e.g. {@code --fhir-user Practitioner/x}). */
    public String token(String role, String... options) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
                "--role", role, "--subject", "launcher-" + role, "--fhir-anchor.data-dir=" + dataDir));
        args.addAll(java.util.List.of(options));
        int exit = TokenCommand.run(
                args.toArray(String[]::new),
                new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        if (exit != 0) {
            throw new IllegalStateException(
                    "token command failed: " + err.toString(java.nio.charset.StandardCharsets.UTF_8));
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8).trim();
    }

    public Path logFile() {
        return logFile;
    }

    public long pid() {
        return process.pid();
    }

    /** Milliseconds from process start to the first 200 on /fhir/metadata. */
    public long startupMillis() {
        return readyMillis - startMillis;
    }

    private long readyMillis;

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue() + "; see " + logFile);
            }
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(URI.create(baseUrl() + "/metadata"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    readyMillis = System.currentTimeMillis();
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        // Its dev chain too, which a killed server could not stop.
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroy);
        throw new IllegalStateException("server not ready within " + timeout + "; see " + logFile);
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
