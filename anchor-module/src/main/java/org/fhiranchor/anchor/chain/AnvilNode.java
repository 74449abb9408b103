package org.fhiranchor.anchor.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * A local Anvil dev chain (from the npm package {@code @foundry-rs/anvil-linux-amd64}) on 127.0.0.1,
 * for tests and the one-machine setup. Output goes to a log file, never to our stdout. Closing it
 * sends SIGTERM, which makes Anvil write its {@code --state} file, and kills it if it does not exit.
 */
public final class AnvilNode implements AutoCloseable {
    /** Environment variable naming the anvil binary, overriding the node_modules lookup. */
    public static final String BINARY_ENV = "FHIR_ANCHOR_ANVIL";

    private static final Path NPM_BINARY = Path.of("node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil");
    private static final String HOST = "127.0.0.1";

    private final Process process;
    private final Options options;
    private final int port;
    private final Path logFile;
    private final HttpService service;
    private final Web3j web3j;
    /** Stops Anvil if the JVM exits without close() (a killed test run must not leave nodes behind). */
    private final Thread shutdownHook;

    /**
     * How to start Anvil.
     *
     * @param binary the anvil executable, or null to resolve it ({@link #BINARY_ENV}, then node_modules
     *     walking up from the working directory)
     * @param port the port, or 0 for a free one
     * @param chainId the chain id (Anvil's default is 31337)
     * @param stateFile file to load state from and save it to, or null for an ephemeral chain
     * @param stateIntervalSeconds how often to save state besides on exit (0: only on exit); without it
     *     a kill -9 loses everything since the start
     * @param blockTimeSeconds seconds per block, or 0 to mine each transaction at once (automine)
     * @param gasLimit block gas limit, or 0 for Anvil's default
     * @param logFile where Anvil's output goes, or null for a temporary file
     * @param startTimeout how long to wait for eth_chainId to answer
     */
    public record Options(
            Path binary,
            int port,
            long chainId,
            Path stateFile,
            int stateIntervalSeconds,
            int blockTimeSeconds,
            long gasLimit,
            Path logFile,
            Duration startTimeout) {

        public static Options defaults() {
            return new Options(null, 0, 31337, null, 0, 0, 0, null, Duration.ofSeconds(30));
        }

        public Options withPort(int value) {
            return edit(b -> b.port = value);
        }

        public Options withChainId(long value) {
            return edit(b -> b.chainId = value);
        }

        public Options withState(Path file, int intervalSeconds) {
            return edit(b -> {
                b.stateFile = file;
                b.stateIntervalSeconds = intervalSeconds;
            });
        }

        public Options withBlockTime(int seconds) {
            return edit(b -> b.blockTimeSeconds = seconds);
        }

        public Options withGasLimit(long value) {
            return edit(b -> b.gasLimit = value);
        }

        public Options withBinary(Path value) {
            return edit(b -> b.binary = value);
        }

        public Options withLogFile(Path value) {
            return edit(b -> b.logFile = value);
        }

        /** A copy of these options with {@code change} applied to its fields. */
        private Options edit(Consumer<Fields> change) {
            Fields fields = new Fields(this);
            change.accept(fields);
            return fields.options();
        }

        /** The fields of {@link Options}, settable one at a time, for the {@code with...} copies. */
        private static final class Fields {
            Path binary;
            int port;
            long chainId;
            Path stateFile;
            int stateIntervalSeconds;
            int blockTimeSeconds;
            long gasLimit;
            Path logFile;
            Duration startTimeout;

            Fields(Options from) {
                binary = from.binary;
                port = from.port;
                chainId = from.chainId;
                stateFile = from.stateFile;
                stateIntervalSeconds = from.stateIntervalSeconds;
                blockTimeSeconds = from.blockTimeSeconds;
                gasLimit = from.gasLimit;
                logFile = from.logFile;
                startTimeout = from.startTimeout;
            }

            Options options() {
                return new Options(
                        binary,
                        port,
                        chainId,
                        stateFile,
                        stateIntervalSeconds,
                        blockTimeSeconds,
                        gasLimit,
                        logFile,
                        startTimeout);
            }
        }
    }

    private AnvilNode(Process process, Options options, int port, Path logFile) {
        this.process = process;
        this.options = options;
        this.port = port;
        this.logFile = logFile;
        this.service = new HttpService(rpcUrl());
        this.web3j = Web3j.build(service);
        this.shutdownHook = new Thread(process::destroy, "anvil-" + port + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts Anvil and returns once it answers eth_chainId. */
    public static AnvilNode start(Options options) {
        Path binary = options.binary() != null ? options.binary() : resolveBinary();
        int port = options.port() != 0 ? options.port() : freePort();
        // Otherwise readiness could be answered by whatever already listens there while our Anvil
        // fails to bind and exits.
        requireFree(port);
        Path logFile = options.logFile();
        try {
            if (logFile == null) {
                logFile = Files.createTempFile("anvil-" + port + "-", ".log");
            }
            List<String> command = new ArrayList<>(List.of(
                    binary.toString(),
                    "--host",
                    HOST,
                    "--port",
                    Integer.toString(port),
                    "--chain-id",
                    Long.toString(options.chainId())));
            if (options.stateFile() != null) {
                command.addAll(List.of("--state", options.stateFile().toString()));
                if (options.stateIntervalSeconds() > 0) {
                    command.addAll(List.of("--state-interval", Integer.toString(options.stateIntervalSeconds())));
                }
            }
            if (options.blockTimeSeconds() > 0) {
                command.addAll(List.of("--block-time", Integer.toString(options.blockTimeSeconds())));
            }
            if (options.gasLimit() > 0) {
                command.addAll(List.of("--gas-limit", Long.toString(options.gasLimit())));
            }
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            AnvilNode node = new AnvilNode(process, options, port, logFile);
            try {
                node.awaitReady(options.startTimeout());
            } catch (RuntimeException e) {
                node.close();
                throw e;
            }
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
    }

    /**
     * The anvil binary: {@value #BINARY_ENV} if set, else {@code node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil}
     * in the working directory or the nearest parent that has one (tests run in a module directory).
     */
    public static Path resolveBinary() {
        String fromEnv = System.getenv(BINARY_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        return findBinary(List.of(Path.of("").toAbsolutePath()))
                .orElseThrow(() -> new IllegalStateException(
                        "anvil not found: run `npm ci` at the repository root or set " + BINARY_ENV));
    }

    /**
     * Looks for anvil from each of {@code startDirs} in turn: an executable {@code anvil} in the
     * directory itself (a distribution's {@code lib/}), then {@code node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil}
     * in the directory or its nearest parent that has one (a repository checkout).
     */
    public static Optional<Path> findBinary(List<Path> startDirs) {
        for (Path start : startDirs) {
            Path beside = start.resolve("anvil");
            if (Files.isRegularFile(beside) && Files.isExecutable(beside)) {
                return Optional.of(beside);
            }
            for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve(NPM_BINARY);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** The Anvil process id, so that a server killed without cleanup can find its node again. */
    public long pid() {
        return process.pid();
    }

    public String rpcUrl() {
        return "http://" + HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public Options options() {
        return options;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Sets the balance of {@code address} (dev chains only), so a freshly generated key can pay gas. */
    public void fund(String address, BigInteger wei) {
        rpc("anvil_setBalance", List.of(address, Numeric.toHexStringWithPrefix(wei)));
    }

    /**
     * Turns automining on or off. Off, transactions wait in the pool until {@link #mine()}: this is
     * how tests reproduce a node that accepted a transaction and did not mine it.
     */
    public void setAutomine(boolean enabled) {
        rpc("evm_setAutomine", List.of(enabled));
    }

    /** Mines one block now (useful to reach confirmations on an automining chain). */
    public void mine() {
        rpc("evm_mine", List.of());
    }

    /** Takes a snapshot of the chain ({@code evm_snapshot}); {@link #revert} goes back to it. */
    public String snapshot() {
        return String.valueOf(rpc("evm_snapshot", List.of()));
    }

    /**
     * Goes back to {@code snapshotId} ({@code evm_revert}): every later block disappears, as in a
     * reorganisation whose new branch holds none of their transactions. Returns whether it worked.
     */
    public boolean revert(String snapshotId) {
        return Boolean.TRUE.equals(rpc("evm_revert", List.of(snapshotId)));
    }

    /** Removes every pending transaction from the pool ({@code anvil_dropAllTransactions}). */
    public void dropAllTransactions() {
        rpc("anvil_dropAllTransactions", List.of());
    }

    /** The base fee of the next block ({@code anvil_setNextBlockBaseFeePerGas}), in wei. */
    public void setNextBlockBaseFee(BigInteger wei) {
        rpc("anvil_setNextBlockBaseFeePerGas", List.of(Numeric.toHexStringWithPrefix(wei)));
    }

    /** Any JSON-RPC method of the node; the untyped result. */
    public Object call(String method, List<?> params) {
        return rpc(method, params);
    }

    /** SIGTERM, wait up to 10 s (Anvil saves --state on SIGTERM), then SIGKILL. Idempotent. */
    public void stop() {
        web3j.shutdown();
        removeShutdownHook();
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Kills Anvil at once (SIGKILL), losing state since the last --state-interval save. */
    public void kill() {
        web3j.shutdown();
        removeShutdownHook();
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "AnvilNode[" + rpcUrl() + ", chainId=" + options.chainId() + ", log=" + logFile + "]";
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // the JVM is already shutting down, or the hook was removed before: nothing to undo
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("anvil exited with " + process.exitValue() + ": " + logTail());
            }
            try {
                if (web3j.ethChainId().send().getChainId() != null && process.isAlive()) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "anvil did not answer on " + rpcUrl() + " within " + timeout + ": " + logTail());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting anvil", e);
            }
        }
    }

    private Object rpc(String method, List<?> params) {
        try {
            Response<?> response = new Request<>(method, params, service, RawResponse.class).send();
            if (response.hasError()) {
                throw new IllegalStateException(
                        method + " failed: " + response.getError().getMessage());
            }
            return response.getResult();
        } catch (IOException e) {
            throw new UncheckedIOException(method + " failed", e);
        }
    }

    /** Response with an untyped result, for Anvil's own methods. */
    public static final class RawResponse extends Response<Object> {}

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void requireFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " on " + HOST + " is in use", e);
        }
    }

    private static int freePort() {
        // Anvil cannot be told to pick a port and report it, so pick one here; the window in which
        // another process could take it is tiny, and start() fails loudly if it does.
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }
}
