package org.fhiranchor.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.concurrent.TimeUnit;

/**
 * The packaged server ({@code target/fhir-anchor-server.jar}) as a separate process, on a free
 * loopback port, so a test can kill it with SIGKILL like a crash would.
 */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path logFile;

    private ServerProcess(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    static ServerProcess start(Path dataDir, List<String> extraArgs) {
        return start(dataDir, extraArgs, java.util.Map.of());
    }

    /** {@code environment}: secrets go there, never on the command line where ps shows them. */
    static ServerProcess start(Path dataDir, List<String> extraArgs, java.util.Map<String, String> environment) {
        int port = freePort();
        Path jar = Path.of(System.getProperty("fhir-anchor.server.jar", "target/fhir-anchor-server.jar")).toAbsolutePath();
        try {
            Files.createDirectories(dataDir);
            Path log = dataDir.resolve("server-" + port + ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-jar", jar.toString(),
                    "--server.port=" + port, "--server.address=127.0.0.1", "--fhir-anchor.data-dir=" + dataDir,
                    "--fhir-anchor.chain.embedded.port=0", "--fhir-anchor.anchoring.checkpoint-interval=1s"));
            command.addAll(extraArgs);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            ServerProcess server = new ServerProcess(process, port, log);
            server.awaitReady(Duration.ofMinutes(3));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port + "/fhir";
    }

    Path logFile() {
        return logFile;
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    void kill() throws InterruptedException {
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
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/metadata"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(500);
        }
        process.destroyForcibly();
        throw new IllegalStateException("server not ready within " + timeout + "; see " + logFile);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
