package org.fhiranchor.server.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.fhiranchor.anchor.chain.AnvilNode;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

/**
 * The {@code replicas} phase: Synthea write throughput of one server against two server replicas on one PostgreSQL
 * database and one dev chain (the documented scale-out), the same client threads in both (split evenly over the
 * replicas). Each configuration gets a fresh database and chain, loads the organizations, posts every patient bundle
 * once untimed (warm-up), then once timed. Besides entries per second it reports where the CPU went (the servers,
 * PostgreSQL, the whole machine) so that what limits the figure can be read off it.
 */
final class ReplicaBenchmark {

    /** Where PostgreSQL's administrative database is and who may create databases there. */

    /** One timed pass of one configuration. */
    record Figures(
            int replicas,
            long entries,
            double seconds,
            double serverCpuSeconds,
            double postgresCpuSeconds,
            double machineBusyPercent,
            long versions) {
        double perSecond() {
            return entries / seconds;
        }
    }

    private final PrintStream out;
    private final Path jar;
    private final Path work;
    private final List<Path> bundles;
    private final int rounds;
    private final int clients;
    private final BenchmarkPostgres postgres;

    ReplicaBenchmark(
            PrintStream out,
            Path jar,
            Path work,
            List<Path> bundles,
            int rounds,
            int clients,
            BenchmarkPostgres postgres) {
        this.out = out;
        this.jar = jar;
        this.work = work;
        this.bundles = bundles;
        this.rounds = rounds;
        this.clients = clients;
        this.postgres = postgres;
    }

    void run() throws Exception {
        List<Path> organizations = bundles.stream()
                .filter(p -> !BenchmarkCommand.isPatientBundle(p))
                .toList();
        List<Path> patients =
                bundles.stream().filter(BenchmarkCommand::isPatientBundle).toList();
        long entries = BenchmarkCommand.countEntries(patients);
        out.printf(
                "replicas phase: PostgreSQL %s, %d client threads, %d patient bundles (%d entries) per timed pass%n",
                postgres.adminUrl(), clients, patients.size(), entries);
        List<Figures> results = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (int replicas : round % 2 == 1 ? List.of(1, 2) : List.of(2, 1)) {
                Figures figures = configuration(replicas, organizations, patients, entries, round);
                results.add(figures);
                out.printf(
                        "  round %d, %d replica(s): %.1f s, %.0f entries/s; CPU s: servers %.1f, PostgreSQL %.1f; machine "
                                + "busy %.0f%% of %d cores; %d versions in the log%n",
                        round,
                        replicas,
                        figures.seconds(),
                        figures.perSecond(),
                        figures.serverCpuSeconds(),
                        figures.postgresCpuSeconds(),
                        figures.machineBusyPercent(),
                        Runtime.getRuntime().availableProcessors(),
                        figures.versions());
            }
        }
        double one = BenchmarkCommand.median(results.stream()
                .filter(f -> f.replicas() == 1)
                .map(Figures::perSecond)
                .toList());
        double two = BenchmarkCommand.median(results.stream()
                .filter(f -> f.replicas() == 2)
                .map(Figures::perSecond)
                .toList());
        out.printf(
                "RESULT write throughput on PostgreSQL, %d clients, warm: 1 replica %.0f entries/s, 2 replicas %.0f "
                        + "entries/s, 2/1 = %.2f (this machine: %d cores shared by the servers, PostgreSQL and the chain)%n",
                clients, one, two, two / one, Runtime.getRuntime().availableProcessors());
    }

    private Figures configuration(int replicas, List<Path> organizations, List<Path> patients, long entries, int round)
            throws Exception {
        Path dir = work.resolve("replicas-" + round + "-" + replicas);
        Files.createDirectories(dir);
        String database = postgres.createDatabase();
        try (AnvilNode chain = AnvilNode.start(AnvilNode.Options.defaults().withLogFile(dir.resolve("anvil.log")))) {
            String key =
                    Numeric.toHexStringNoPrefixZeroPadded(Keys.createEcKeyPair().getPrivateKey(), 64);
            chain.fund(Credentials.create(key).getAddress(), BigInteger.TEN.pow(21));
            List<String> args = new ArrayList<>(postgres.serverArgs(database));
            args.addAll(List.of("--fhir-anchor.chain.mode=external", "--fhir-anchor.chain.rpc-url=" + chain.rpcUrl()));
            Map<String, String> env = new HashMap<>(postgres.serverEnvironment());
            env.put("FHIR_ANCHOR_CHAIN_PRIVATE_KEY", key);
            List<ServerLauncher> servers = new ArrayList<>();
            try {
                // One after the other: the first migrates the schema (the second would wait on Flyway's lock anyway).
                for (int i = 0; i < replicas; i++) {
                    servers.add(ServerLauncher.start(jar, dir.resolve("server-" + i), args, env));
                }
                List<FhirHttp> admins = new ArrayList<>();
                for (ServerLauncher server : servers) {
                    admins.add(new FhirHttp(server.token("admin")));
                }
                post(servers, admins, organizations, 1);
                post(servers, admins, patients, clients); // warm-up
                double cpuBefore = serverCpu(servers);
                double postgresBefore = postgresCpuSeconds();
                long[] machineBefore = machineJiffies();
                long started = System.nanoTime();
                post(servers, admins, patients, clients);
                double seconds = (System.nanoTime() - started) / 1e9;
                long[] machineAfter = machineJiffies();
                double busy =
                        100.0 * (machineAfter[0] - machineBefore[0]) / Math.max(1, machineAfter[1] - machineBefore[1]);
                double serverCpuSeconds = serverCpu(servers) - cpuBefore;
                double postgresCpuSeconds = postgresCpuSeconds() - postgresBefore;
                // All anchored once the clients are done: the replicas share one log and one sequence.
                BenchmarkCommand.awaitAnchored(admins.get(0), servers.get(0), java.time.Duration.ofMinutes(10));
                long versions = BenchmarkCommand.health(admins.get(0), servers.get(0))
                        .path("logEntries")
                        .asLong();
                return new Figures(replicas, entries, seconds, serverCpuSeconds, postgresCpuSeconds, busy, versions);
            } finally {
                for (ServerLauncher server : servers) {
                    server.close();
                }
            }
        } finally {
            postgres.dropDatabase(database);
            BenchmarkCommand.deleteRecursively(dir);
        }
    }

    /** Posts every bundle once with {@code threads} clients, thread i on server i mod replicas. */
    private static void post(List<ServerLauncher> servers, List<FhirHttp> admins, List<Path> files, int threads)
            throws Exception {
        ConcurrentLinkedQueue<Path> queue = new ConcurrentLinkedQueue<>(files);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                ServerLauncher server = servers.get(t % servers.size());
                FhirHttp http = admins.get(t % servers.size());
                workers.add(pool.submit(() -> {
                    for (Path bundle = queue.poll(); bundle != null; bundle = queue.poll()) {
                        BenchmarkCommand.postBundle(http, server, bundle);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static double serverCpu(List<ServerLauncher> servers) {
        return servers.stream()
                .mapToDouble(s -> BenchmarkCommand.cpuSeconds(s.pid()))
                .sum();
    }

    /**
     * CPU seconds of PostgreSQL's processes: the live ones' own time plus what ended backends left in their parent's
     * children-time fields (fields 16 and 17 of /proc/PID/stat).
     */
    static double postgresCpuSeconds() {
        double total = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                try {
                    ProcStat stat = ProcStat.read(proc.resolve("stat"));
                    if (stat.name().startsWith("postgres")) {
                        total += stat.cpuSecondsWithEndedChildren();
                    }
                } catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return total;
    }

    /** Busy and total jiffies of the whole machine, from the first line of /proc/stat. */
    private static long[] machineJiffies() throws IOException {
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < cpu.length; i++) {
            total += Long.parseLong(cpu[i]);
        }
        long idle = Long.parseLong(cpu[4]) + (cpu.length > 5 ? Long.parseLong(cpu[5]) : 0);
        return new long[] {total - idle, total};
    }
}
