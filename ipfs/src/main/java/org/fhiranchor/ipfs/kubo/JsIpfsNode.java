package org.fhiranchor.ipfs.kubo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real IPFS node serving the Kubo RPC API on 127.0.0.1, for tests: js-ipfs 0.66.1 from npm (Kubo itself cannot be
 * installed on the project's machines; FACTS.md), offline, with its repository in a directory of the caller's. It can
 * be stopped and started again on the same repository and ports, like a restarted Kubo daemon. The npm package is
 * installed on first use from a {@code package.json} directory (the ipfs module's {@code src/test/js-ipfs}).
 */
public final class JsIpfsNode implements AutoCloseable {
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(20);
    /** The directory lock ({@link InstallLock}) held while the package directory is installed; .ci/run takes it too. */
    public static final String INSTALL_LOCK = ".install-lock";

    private final Path jsipfs;
    private final Path repo;
    private final int apiPort;
    private Process daemon;

    private JsIpfsNode(Path jsipfs, Path repo, int apiPort) {
        this.jsipfs = jsipfs;
        this.repo = repo;
        this.apiPort = apiPort;
    }

    /**
     * Installs js-ipfs into {@code packageDir} (which holds its package.json) unless it is there already, and returns
     * its {@code jsipfs} command.
     */
    public static Path install(Path packageDir) {
        // Absolute: the daemon runs with the package directory as its working directory.
        packageDir = packageDir.toAbsolutePath().normalize();
        Path jsipfs = packageDir.resolve("node_modules/.bin/jsipfs");
        if (!Files.isExecutable(jsipfs)) {
            // One installer at a time: CI may have started one already (.ci/run), which this waits for.
            try (InstallLock lock = InstallLock.acquire(packageDir.resolve(INSTALL_LOCK), INSTALL_TIMEOUT)) {
                if (!Files.isExecutable(jsipfs)) {
                    // No npm lock file is kept (it would name the registry's host); package.json pins ipfs exactly.
                    run(
                            packageDir,
                            INSTALL_TIMEOUT,
                            null,
                            List.of("npm", "install", "--omit=optional", "--no-audit", "--no-fund"));
                }
            }
        }
        if (!Files.isExecutable(jsipfs)) {
            throw new IllegalStateException("npm finished but " + jsipfs + " is missing");
        }
        return jsipfs;
    }

    /** Creates an empty repository in {@code repo} (which must not hold one), offline, on free loopback ports. */
    public static JsIpfsNode create(Path jsipfs, Path repo) {
        jsipfs = jsipfs.toAbsolutePath();
        repo = repo.toAbsolutePath();
        try {
            Files.createDirectories(repo);
            run(
                    jsipfs.getParent(),
                    Duration.ofMinutes(2),
                    repo,
                    List.of(jsipfs.toString(), "init", "--profile", "test", "--empty-repo"));
            int apiPort = freePort();
            configureOffline(repo.resolve("config"), apiPort, freePort());
            return new JsIpfsNode(jsipfs, repo, apiPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the daemon and returns once the API answers {@code version}. */
    public synchronized JsIpfsNode start(Duration timeout) {
        if (daemon != null && daemon.isAlive()) {
            return this;
        }
        Path log = repo.resolve("daemon.log");
        try {
            ProcessBuilder builder = new ProcessBuilder(jsipfs.toString(), "daemon", "--offline")
                    .directory(jsipfs.getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put("IPFS_PATH", repo.toString());
            daemon = builder.start();
            KuboClient client = client(Duration.ofSeconds(10));
            Instant deadline = Instant.now().plus(timeout);
            while (true) {
                try {
                    client.version();
                    return this;
                } catch (IOException notYet) {
                    if (!daemon.isAlive() || Instant.now().isAfter(deadline)) {
                        stop();
                        throw new IllegalStateException(
                                "js-ipfs daemon did not come up:\n" + Files.readString(log), notYet);
                    }
                    Thread.sleep(250);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException("interrupted while starting js-ipfs", e);
        }
    }

    /** Stops the daemon (SIGTERM, then SIGKILL), and any process it started. The repository stays. Idempotent. */
    public synchronized void stop() {
        if (daemon == null) {
            return;
        }
        List<ProcessHandle> children = daemon.descendants().toList();
        daemon.destroy();
        try {
            if (!daemon.waitFor(10, TimeUnit.SECONDS)) {
                daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            daemon.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
        daemon = null;
    }

    public synchronized boolean isRunning() {
        return daemon != null && daemon.isAlive();
    }

    /** The RPC address, e.g. {@code http://127.0.0.1:45001}. */
    public URI apiUrl() {
        return URI.create("http://127.0.0.1:" + apiPort);
    }

    public KuboClient client(Duration requestTimeout) {
        return new KuboClient(apiUrl(), requestTimeout);
    }

    public Path repo() {
        return repo;
    }

    @Override
    public void close() {
        stop();
    }

    private static void configureOffline(Path config, int apiPort, int gatewayPort) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(config.toFile());
        ObjectNode addresses = root.withObjectProperty("Addresses");
        addresses.put("API", "/ip4/127.0.0.1/tcp/" + apiPort);
        addresses.put("Gateway", "/ip4/127.0.0.1/tcp/" + gatewayPort);
        addresses.putArray("Swarm"); // with any swarm address js-ipfs hangs here (FACTS.md)
        addresses.putArray("Delegates");
        root.putArray("Bootstrap");
        ObjectNode discovery = root.withObjectProperty("Discovery");
        discovery.withObjectProperty("MDNS").put("Enabled", false);
        discovery.withObjectProperty("webRTCStar").put("Enabled", false);
        root.withObjectProperty("Routing").put("Type", "none");
        json.writerWithDefaultPrettyPrinter().writeValue(config.toFile(), root);
    }

    private static void run(Path dir, Duration timeout, Path ipfsPath, List<String> command) {
        try {
            Path log = Files.createTempFile("jsipfs-cmd", ".log");
            ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            if (ipfsPath != null) {
                builder.environment().put("IPFS_PATH", ipfsPath.toString());
            }
            Process process = builder.start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException(
                        command + " timed out after " + timeout + ":\n" + Files.readString(log));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        command + " exited " + process.exitValue() + ":\n" + Files.readString(log));
            }
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
