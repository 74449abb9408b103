package org.fhiranchor.server.anchoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.fhiranchor.anchor.chain.AnvilNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dev chain of the embedded default: Anvil on loopback, its state saved under
 * {@code <data-dir>/chain/} so checkpoints survive restarts. A node left running by a server that
 * was killed is stopped (it saves its state on SIGTERM) before a new one starts.
 */
public final class EmbeddedChain implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedChain.class);

    private final AnvilNode node;
    private final Path pidFile;

    private EmbeddedChain(AnvilNode node, Path pidFile) {
        this.node = node;
        this.pidFile = pidFile;
    }

    public static EmbeddedChain start(Path dataDir, ChainProperties.Embedded settings) {
        Path dir = dataDir.resolve("chain");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path pidFile = dir.resolve("anvil.pid");
        stopLeftover(pidFile);
        AnvilNode node = AnvilNode.start(AnvilNode.Options.defaults()
                .withBinary(AnvilBinary.resolve(settings.anvilBinary()))
                .withPort(settings.port())
                .withChainId(settings.chainId())
                .withState(dir.resolve("anvil-state.json"), settings.stateIntervalSeconds())
                .withBlockTime(settings.blockTimeSeconds())
                .withLogFile(dir.resolve("anvil.log")));
        writePid(pidFile, node);
        log.info("Embedded chain (Anvil) listening on {}", node.rpcUrl());
        return new EmbeddedChain(node, pidFile);
    }

    public AnvilNode node() {
        return node;
    }

    public String rpcUrl() {
        return node.rpcUrl();
    }

    @Override
    public void close() {
        node.stop();
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException ignored) {
            // the next start checks the pid anyway
        }
    }

    private static void writePid(Path pidFile, AnvilNode node) {
        try {
            Files.writeString(pidFile, Long.toString(node.pid()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void stopLeftover(Path pidFile) {
        if (!Files.exists(pidFile)) {
            return;
        }
        Optional<ProcessHandle> leftover;
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            leftover = ProcessHandle.of(pid)
                    .filter(p ->
                            p.info().command().map(c -> c.endsWith("anvil")).orElse(false));
        } catch (IOException | NumberFormatException e) {
            log.warn("Unreadable dev chain pid file {}: {}", pidFile, e.toString());
            return;
        }
        if (leftover.isPresent()) {
            // A node whose server is still running belongs to that server: two servers must never
            // share one data directory. Only an orphan (its server was killed) is ours to stop.
            Optional<ProcessHandle> owner = leftover.get()
                    .parent()
                    .filter(p -> p.isAlive()
                            && p.info().command().map(c -> c.endsWith("java")).orElse(false));
            if (owner.isPresent()) {
                throw new IllegalStateException("the data directory's dev chain belongs to a running server (pid "
                        + owner.get().pid() + "); give each server its own fhir-anchor.data-dir");
            }
            log.warn(
                    "Stopping the dev chain left running by a previous server process (pid {})",
                    leftover.get().pid());
            leftover.get().destroy();
            try {
                leftover.get().onExit().get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                leftover.get().destroyForcibly();
            }
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
