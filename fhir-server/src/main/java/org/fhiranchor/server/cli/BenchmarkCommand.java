package org.fhiranchor.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.fhiranchor.server.command.CommandParsing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code benchmark [--synthea DIR] [--rounds N] [--verify-leaves N] [--phases ingest,gas,verify[,privacy][,request][,replicas][,scale]]}
 * (phase {@code request}: {@code [--request-patients N] [--request-seconds S] [--request-warmup-seconds S]
 * [--request-connections 1,8] [--request-server-arg ARG]... [--request-database h2|postgresql]}; phase {@code scale}: {@code [--scale-milestones 10k,100k,1M] [--scale-threads N]
 * [--scale-transaction N] [--scale-verify-calls N] [--scale-warmup N] [--scale-server-arg ARG]...}):
 * starts servers from this jar on loopback and measures, in one run on this machine:
 * <ul>
 *   <li>Synthea ingest throughput with anchoring off and on, in alternating rounds, each server cold (first pass after
 *       start) and warm (a second pass of the same bundles);
 *   <li>gas per anchored version, checkpoint mode (default settings) against per-version mode;
 *   <li>{@code $verify} latency with at least N leaves in the log;
 *   <li>anchoring lag (commit to anchored checkpoint), startup time and resident memory;
 *   <li>(phase {@code privacy}, not run by default) warm Synthea search throughput of a clinician token with
 *       1,000 privacy consents loaded against none, two servers taking turns ({@link PrivacyBenchmark});
 *   <li>(phase {@code request}, not run by default) single requests (create, update, read, vread, search,
 *       {@code $everything}, {@code /metadata}) at 1 and 8 connections, full product against plain HAPI
 *       ({@link RequestBenchmark});
 *   <li>(phase {@code replicas}, not run by default) Synthea write throughput of one server against two replicas on
 *       one PostgreSQL ({@link ReplicaBenchmark});
 *   <li>(phase {@code scale}, not run by default) the cost per version as the log grows to 10k, 100k, 1M versions
 *       ({@link ScaleBenchmark}).
 * </ul>
 * Numbers are printed, not asserted: compare them in one run, never across days.
 */
@Command(
        name = "benchmark",
        description =
                "Start servers from this jar on loopback and measure ingest throughput, gas, "
                        + "$verify latency, anchoring lag, startup time and memory in one run. Numbers are printed, not asserted.")
public final class BenchmarkCommand {

    @Option(names = "--jar", paramLabel = "JAR", description = "the server jar to start (default: this one)")
    private Path jarOption;

    @Option(
            names = "--synthea",
            paramLabel = "DIR",
            description = "Synthea bundles (default: shared/data/synthea-r4 above here)")
    private Path syntheaOption;

    @Option(
            names = "--rounds",
            paramLabel = "N",
            defaultValue = "2",
            description = "ingest rounds (default: ${DEFAULT-VALUE})")
    private int roundsOption;

    @Option(
            names = "--ingest-warm-passes",
            paramLabel = "N",
            defaultValue = "1",
            description = "ingest passes after the cold one on each server; the last is the warm figure "
                    + "(default: ${DEFAULT-VALUE})")
    private int ingestWarmPasses;

    @Option(
            names = "--verify-leaves",
            paramLabel = "N",
            defaultValue = "100000",
            description = "leaves in the log for the verify phase (default: ${DEFAULT-VALUE})")
    private int verifyLeavesOption;

    @Option(
            names = "--phases",
            paramLabel = "PHASE",
            split = ",",
            defaultValue = "ingest,gas,verify",
            description =
                    "phases to run: ingest, gas, verify, privacy, request, replicas, scale (default: ${DEFAULT-VALUE})")
    private List<String> phasesOption;

    @Option(
            names = "--privacy-passes",
            paramLabel = "N",
            defaultValue = "3",
            description = "privacy phase: timed passes per server per round (default: ${DEFAULT-VALUE})")
    private int privacyPasses;

    @Option(
            names = "--replicas-clients",
            paramLabel = "N",
            defaultValue = "4",
            description = "replicas phase: client threads posting Synthea bundles (default: ${DEFAULT-VALUE})")
    private int replicaClients;

    @Option(
            names = {"--postgres", "--replicas-postgres"},
            paramLabel = "JDBC_URL",
            defaultValue = "jdbc:postgresql://127.0.0.1:5432/fhir",
            description =
                    "replicas phase and scale phase on PostgreSQL: a database whose user may create databases "
                            + "(password from FHIR_ANCHOR_BENCHMARK_POSTGRES_PASSWORD, default fhir) (default: ${DEFAULT-VALUE})")
    private String postgresUrl;

    @Option(
            names = {"--postgres-user", "--replicas-postgres-user"},
            paramLabel = "USER",
            defaultValue = "fhir",
            description = "the PostgreSQL user of --postgres (default: ${DEFAULT-VALUE})")
    private String postgresUser;

    @Option(
            names = "--request-patients",
            paramLabel = "N",
            defaultValue = "5",
            description = "request phase: Synthea patients loaded (default: ${DEFAULT-VALUE})")
    private int requestPatients;

    @Option(
            names = "--request-seconds",
            paramLabel = "S",
            defaultValue = "5",
            description = "request phase: measured seconds per operation (default: ${DEFAULT-VALUE})")
    private double requestSeconds;

    @Option(
            names = "--request-warmup-seconds",
            paramLabel = "S",
            defaultValue = "3",
            description = "request phase: warm-up seconds per operation (default: ${DEFAULT-VALUE})")
    private double requestWarmupSeconds;

    @Option(
            names = "--request-connections",
            paramLabel = "N",
            split = ",",
            defaultValue = "1,8",
            description = "request phase: keep-alive connections, one run each (default: ${DEFAULT-VALUE})")
    private List<Integer> requestConnections;

    @Option(
            names = "--request-operations",
            paramLabel = "OP",
            split = ",",
            description = "request phase: only these operations (of create, update, read, vread, search, $everything, "
                    + "metadata; default: all)")
    private List<String> requestOperations;

    @Option(
            names = "--request-server-arg",
            paramLabel = "ARG",
            description = "request phase: an extra argument of the full server, repeatable "
                    + "(e.g. --fhir-anchor.audit.store=hapi)")
    private List<String> requestServerArgs = new ArrayList<>();

    @Option(
            names = "--request-database",
            paramLabel = "h2|postgresql",
            defaultValue = "h2",
            description = "request phase: both servers' database, each its embedded H2 file or each a fresh database "
                    + "on --postgres (default: ${DEFAULT-VALUE})")
    private String requestDatabase;

    @Option(
            names = "--scale-milestones",
            paramLabel = "N",
            split = ",",
            defaultValue = "10000,100000,1000000",
            description =
                    "scale phase: versions loaded at which to measure, e.g. 10k,100k,1M (default: ${DEFAULT-VALUE})")
    private List<String> scaleMilestones;

    @Option(
            names = "--scale-threads",
            paramLabel = "N",
            defaultValue = "2",
            description = "scale phase: client threads posting transactions (default: ${DEFAULT-VALUE})")
    private int scaleThreads;

    @Option(
            names = "--scale-transaction",
            paramLabel = "N",
            defaultValue = "500",
            description = "scale phase: entries per transaction (default: ${DEFAULT-VALUE})")
    private int scaleTransaction;

    @Option(
            names = "--scale-verify-calls",
            paramLabel = "N",
            defaultValue = "300",
            description =
                    "scale phase: timed $verify calls per milestone, after a warm-up of a third as many (default: ${DEFAULT-VALUE})")
    private int scaleVerifyCalls;

    @Option(
            names = "--scale-warmup",
            paramLabel = "N",
            defaultValue = "0",
            description = "scale phase: versions loaded untimed before the first segment, so that it measures a warm "
                    + "server (default: ${DEFAULT-VALUE}: the first segment includes the JIT warm-up)")
    private long scaleWarmUp;

    @Option(
            names = "--scale-database",
            paramLabel = "h2|postgresql",
            defaultValue = "h2",
            description = "scale phase: the server's database, the embedded H2 file or a fresh database on --postgres "
                    + "(default: ${DEFAULT-VALUE})")
    private String scaleDatabase;

    @Option(
            names = "--scale-settle-minutes",
            paramLabel = "M",
            defaultValue = "0",
            description = "scale phase: after the last milestone, wait up to M minutes until everything is archived, "
                    + "then time $verify again on the settled server (0: do not) (default: ${DEFAULT-VALUE})")
    private int scaleSettleMinutes;

    @Option(
            names = "--scale-server-arg",
            paramLabel = "ARG",
            description = "scale phase: an extra server argument, repeatable (e.g. a PostgreSQL datasource)")
    private List<String> scaleServerArgs = new ArrayList<>();

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "show this help and exit")
    private boolean help;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;

    public BenchmarkCommand(PrintStream out) {
        this.out = out;
    }

    public int run(List<String> args) throws Exception {
        java.util.OptionalInt stop =
                CommandParsing.parse(CommandParsing.commandLine(this), args.toArray(String[]::new), out, System.err);
        if (stop.isPresent()) {
            return stop.getAsInt();
        }
        if (ingestWarmPasses < 1) {
            System.err.println("--ingest-warm-passes must be 1 or more, was " + ingestWarmPasses);
            return 2;
        }
        if (requestOperations != null && !RequestBenchmark.OPERATION_NAMES.containsAll(requestOperations)) {
            System.err.println("--request-operations takes " + String.join(", ", RequestBenchmark.OPERATION_NAMES)
                    + "; was " + String.join(", ", requestOperations));
            return 2;
        }
        Path jar = (jarOption != null ? jarOption : Path.of(System.getProperty("java.class.path"))).toAbsolutePath();
        Path synthea = syntheaOption != null ? syntheaOption : findSynthea();
        int rounds = roundsOption;
        int verifyLeaves = verifyLeavesOption;
        List<String> phases = phasesOption;
        Path work = Files.createTempDirectory("fhir-anchor-benchmark-");
        List<Path> bundles;
        try (Stream<Path> files = Files.list(synthea)) {
            bundles = files.filter(p -> p.toString().endsWith(".json"))
                    .sorted(BenchmarkCommand::organizationsFirst)
                    .toList();
        }
        long entries = countEntries(bundles);
        out.printf(
                "FHIR Anchor benchmark: %d Synthea bundles (%d entries), %d round(s), jar %s%n",
                bundles.size(), entries, rounds, jar.getFileName());
        try {
            if (phases.contains("ingest")) {
                ingestRounds(jar, work, bundles, entries, rounds);
            }
            if (phases.contains("gas")) {
                perVersionGas(jar, work, bundles);
            }
            if (phases.contains("verify")) {
                verifyLatency(jar, work, verifyLeaves);
            }
            if (phases.contains("privacy")) {
                new PrivacyBenchmark(out, jar, work, bundles, rounds, privacyPasses).run();
            }
            BenchmarkPostgres postgres = new BenchmarkPostgres(
                    postgresUrl,
                    postgresUser,
                    System.getenv().getOrDefault("FHIR_ANCHOR_BENCHMARK_POSTGRES_PASSWORD", "fhir"));
            if (phases.contains("request")) {
                new RequestBenchmark(
                                out,
                                jar,
                                work,
                                bundles,
                                requestPatients,
                                Duration.ofMillis((long) (1000 * requestSeconds)),
                                Duration.ofMillis((long) (1000 * requestWarmupSeconds)),
                                requestConnections,
                                requestOperations == null ? RequestBenchmark.OPERATION_NAMES : requestOperations,
                                requestServerArgs,
                                "postgresql".equals(requestDatabase) ? postgres : null)
                        .run();
            }
            if (phases.contains("replicas")) {
                new ReplicaBenchmark(out, jar, work, bundles, rounds, replicaClients, postgres).run();
            }
            if (phases.contains("scale")) {
                new ScaleBenchmark(
                                out,
                                jar,
                                work,
                                ScaleBenchmark.parseMilestones(scaleMilestones),
                                scaleThreads,
                                scaleTransaction,
                                scaleVerifyCalls,
                                scaleWarmUp,
                                scaleServerArgs,
                                "postgresql".equals(scaleDatabase) ? postgres : null,
                                Duration.ofMinutes(scaleSettleMinutes))
                        .run();
            }
        } finally {
            deleteRecursively(work);
        }
        return 0;
    }

    /**
     * One timed POST of every bundle: wall seconds, the server's CPU seconds (its dev chain included) and how they
     * split over the server's thread groups and its child processes.
     */
    private record Pass(double seconds, double cpuSeconds, Map<String, Double> cpuByThread) {
        double perSecond(long entries) {
            return entries / seconds;
        }
    }

    /**
     * One server: a cold pass right after start (the JIT compiler still busy), then warm passes of the same
     * bundles (POSTs without conditions: new resources again; the last one is the warm figure), then the
     * anchoring and archive figures.
     */
    private record IngestRound(
            String mode,
            Pass cold,
            Pass warm,
            long startupMillis,
            long rssAfterStartMb,
            long rssAfterIngestMb,
            long versions,
            double gas,
            double lagP99Seconds,
            double lagMaxSeconds,
            long archiveBacklogAtEnd,
            double archivedAfterSeconds) {}

    private void ingestRounds(Path jar, Path work, List<Path> bundles, long entries, int rounds) throws Exception {
        List<IngestRound> results = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            List<Boolean> order = round % 2 == 1 ? List.of(false, true) : List.of(true, false);
            for (boolean anchoring : order) {
                IngestRound result =
                        ingestRound(jar, work.resolve("ingest-" + round + "-" + anchoring), bundles, anchoring);
                results.add(result);
                out.printf(
                        "  round %d anchoring %-3s: cold %5.1f s (%4.0f entries/s, server CPU %5.1f s), warm %5.1f s "
                                + "(%4.0f entries/s, server CPU %5.1f s), startup %5.1f s, RSS %d MB after start, %d MB after "
                                + "ingest%s%n",
                        round,
                        result.mode(),
                        result.cold().seconds(),
                        result.cold().perSecond(entries),
                        result.cold().cpuSeconds(),
                        result.warm().seconds(),
                        result.warm().perSecond(entries),
                        result.warm().cpuSeconds(),
                        result.startupMillis() / 1000.0,
                        result.rssAfterStartMb(),
                        result.rssAfterIngestMb(),
                        anchoring
                                ? String.format(
                                        ", %d versions, %.0f gas/version, lag p99 %.1f s (max %.1f s), "
                                                + "archive backlog %d at ingest end, all archived %.1f s after it",
                                        result.versions(),
                                        result.gas() / result.versions(),
                                        result.lagP99Seconds(),
                                        result.lagMaxSeconds(),
                                        result.archiveBacklogAtEnd(),
                                        result.archivedAfterSeconds())
                                : "");
            }
        }
        printThroughput(
                ingestWarmPasses == 1
                        ? "warm server (second pass)"
                        : "warm server (pass " + (ingestWarmPasses + 1) + ")",
                results,
                IngestRound::warm,
                entries,
                "target >= 95%");
        printCpuByThread(results);
        printThroughput(
                "cold server (first pass after start, JIT compiling)",
                results,
                IngestRound::cold,
                entries,
                "reported, not the target");
        double gasPerVersion =
                median(on(results).map(r -> r.gas() / r.versions()).toList());
        out.printf("RESULT checkpoint mode gas per version: %.1f%n", gasPerVersion);
        out.printf(
                "RESULT anchoring lag p99: %.1f s (checkpoint interval 10 s)%n",
                median(on(results).map(IngestRound::lagP99Seconds).toList()));
        out.printf(
                "RESULT archive: backlog at ingest end median %.0f leaves, everything archived median %.1f s after the ingest%n",
                median(on(results).map(r -> (double) r.archiveBacklogAtEnd()).toList()),
                median(on(results).map(IngestRound::archivedAfterSeconds).toList()));
        out.printf(
                "RESULT startup to first 200 on /fhir/metadata: median %.1f s; RSS after start median %.0f MB (-Xmx1g)%n",
                median(results.stream().map(r -> r.startupMillis() / 1000.0).toList()),
                median(results.stream().map(r -> (double) r.rssAfterStartMb()).toList()));
        lastCheckpointGasPerVersion = gasPerVersion;
    }

    private void printThroughput(
            String label,
            List<IngestRound> results,
            java.util.function.Function<IngestRound, Pass> pass,
            long entries,
            String target) {
        double off = median(results.stream()
                .filter(r -> r.mode().equals("off"))
                .map(r -> pass.apply(r).perSecond(entries))
                .toList());
        double on =
                median(on(results).map(r -> pass.apply(r).perSecond(entries)).toList());
        double cpuOff = median(results.stream()
                .filter(r -> r.mode().equals("off"))
                .map(r -> pass.apply(r).cpuSeconds())
                .toList());
        double cpuOn = median(on(results).map(r -> pass.apply(r).cpuSeconds()).toList());
        out.printf(
                "RESULT ingest throughput, %s: off %.0f/s, on %.0f/s, on/off = %.1f%% (%s); server CPU (server and dev "
                        + "chain) off %.1f s, on %.1f s, on/off = %.1f%%%n",
                label, off, on, 100 * on / off, target, cpuOff, cpuOn, 100 * cpuOn / cpuOff);
    }

    /** Where the warm pass's CPU went, off against on: median seconds per thread group, the larger groups only. */
    private void printCpuByThread(List<IngestRound> results) {
        Set<String> groups = new TreeSet<>();
        results.forEach(r -> groups.addAll(r.warm().cpuByThread().keySet()));
        record Row(String group, double off, double on) {}
        List<Row> rows = new ArrayList<>();
        for (String group : groups) {
            double off = median(results.stream()
                    .filter(r -> r.mode().equals("off"))
                    .map(r -> r.warm().cpuByThread().getOrDefault(group, 0.0))
                    .toList());
            double on = median(on(results)
                    .map(r -> r.warm().cpuByThread().getOrDefault(group, 0.0))
                    .toList());
            if (Math.max(off, on) >= 0.2) {
                rows.add(new Row(group, off, on));
            }
        }
        rows.sort((a, b) -> Double.compare(Math.max(b.off(), b.on()), Math.max(a.off(), a.on())));
        out.println(
                "RESULT warm pass CPU by thread group (median seconds; groups of 0.2 s or more): off, on, on - off");
        for (Row row : rows) {
            out.printf("  %-28s %6.1f %6.1f %+6.1f%n", row.group(), row.off(), row.on(), row.on() - row.off());
        }
    }

    private static Stream<IngestRound> on(List<IngestRound> results) {
        return results.stream().filter(r -> r.mode().equals("on"));
    }

    private double lastCheckpointGasPerVersion = Double.NaN;

    private IngestRound ingestRound(Path jar, Path dir, List<Path> bundles, boolean anchoring) throws Exception {
        try (ServerLauncher server = ServerLauncher.start(
                jar, dir, List.of("--fhir-anchor.anchoring.mode=" + (anchoring ? "checkpoint" : "off")), Map.of())) {
            long rssStart = residentMb(server.pid());
            FhirHttp http = new FhirHttp(server.token("admin"));
            Pass cold = postAll(http, server, bundles);
            Pass warm = postAll(http, server, bundles);
            for (int pass = 2; pass <= ingestWarmPasses; pass++) {
                warm = postAll(http, server, bundles);
            }
            long ended = System.nanoTime();
            long rssIngest = residentMb(server.pid());
            long versions = 0;
            double gas = 0;
            double lagP99 = 0;
            double lagMax = 0;
            long archiveBacklog = 0;
            double archivedAfter = 0;
            if (anchoring) {
                // The archiver steps back while clients write: report how far behind it was, and when it caught up.
                JsonNode archive = archiveHealth(http, server);
                archiveBacklog = health(http, server).path("logEntries").asLong()
                        - archive.path("archivedTreeSize").asLong();
                awaitAnchored(http, server, Duration.ofMinutes(10));
                versions = health(http, server).path("logEntries").asLong();
                archivedAfter = awaitArchived(http, server, versions, ended, Duration.ofMinutes(10));
                gas = metric(http, server, "fhir_anchor.anchoring.gas.used", "");
                lagP99 = metric(http, server, "fhir_anchor.anchoring.lag.percentile", "?tag=phi:0.99");
                lagMax = metric(http, server, "fhir_anchor.anchoring.lag", "", "MAX");
            }
            return new IngestRound(
                    anchoring ? "on" : "off",
                    cold,
                    warm,
                    server.startupMillis(),
                    rssStart,
                    rssIngest,
                    versions,
                    gas,
                    lagP99,
                    lagMax,
                    archiveBacklog,
                    archivedAfter);
        } finally {
            deleteRecursively(dir);
        }
    }

    static Pass postAll(FhirHttp http, ServerLauncher server, List<Path> bundles) throws Exception {
        double cpuBefore = cpuSeconds(server.pid());
        Map<String, Double> byThreadBefore = cpuByThread(server.pid());
        long started = System.nanoTime();
        for (Path bundle : bundles) {
            postBundle(http, server, bundle);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, Double> byThread = new TreeMap<>(cpuByThread(server.pid()));
        byThreadBefore.forEach((group, before) -> byThread.merge(group, -before, Double::sum));
        return new Pass(seconds, cpuSeconds(server.pid()) - cpuBefore, byThread);
    }

    /**
     * CPU seconds of a server by thread group ({@link ProcStat#cpuSecondsByThreadName}) and of each of its child
     * processes (the dev chain) by command name; empty where /proc cannot be read.
     */
    static Map<String, Double> cpuByThread(long pid) {
        Map<String, Double> byThread = new TreeMap<>();
        try {
            byThread.putAll(ProcStat.cpuSecondsByThreadName(pid));
        } catch (IOException | RuntimeException e) {
            return byThread;
        }
        for (ProcessHandle child :
                ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(List.of())) {
            try {
                ProcStat stat = ProcStat.read(child.pid());
                byThread.merge("process " + stat.name(), stat.cpuSeconds(), Double::sum);
            } catch (IOException | RuntimeException ended) {
                // a child that ended while this read
            }
        }
        return byThread;
    }

    /** POSTs one bundle file to the server's base; any answer but 200 stops the benchmark. */
    static void postBundle(FhirHttp http, ServerLauncher server, Path bundle) throws IOException, InterruptedException {
        int status = http.post(server.baseUrl(), "application/fhir+json", Files.readAllBytes(bundle))
                .statusCode();
        if (status != 200) {
            throw new IllegalStateException(bundle.getFileName() + ": HTTP " + status);
        }
    }

    private void perVersionGas(Path jar, Path work, List<Path> bundles) throws Exception {
        Path dir = work.resolve("per-version");
        List<Path> small = bundles.stream()
                .filter(BenchmarkCommand::isPatientBundle)
                .sorted((a, b) -> Long.compare(size(a), size(b)))
                .limit(2)
                .toList();
        try (ServerLauncher server = ServerLauncher.start(
                jar,
                dir,
                List.of(
                        "--fhir-anchor.anchoring.mode=per-version",
                        "--fhir-anchor.chain.embedded.block-time-seconds=0"),
                Map.of())) {
            FhirHttp http = new FhirHttp(server.token("admin"));
            for (Path bundle : small) {
                http.post(server.baseUrl(), "application/fhir+json", Files.readAllBytes(bundle));
            }
            long versions = 0;
            Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
            double leaves = 0;
            while (Instant.now().isBefore(deadline)) {
                versions = health(http, server).path("logEntries").asLong();
                leaves = metric(http, server, "fhir_anchor.anchoring.leaves", "");
                if (versions > 0 && leaves >= versions) {
                    break;
                }
                Thread.sleep(500);
            }
            double gasPerLeaf = metric(http, server, "fhir_anchor.anchoring.gas.used", "") / leaves;
            out.printf("RESULT per-version mode gas per version: %.0f (%.0f leaves)%n", gasPerLeaf, leaves);
            if (!Double.isNaN(lastCheckpointGasPerVersion)) {
                out.printf(
                        "RESULT gas ratio per-version / checkpoint: %.0fx (target >= 100x)%n",
                        gasPerLeaf / lastCheckpointGasPerVersion);
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    private void verifyLatency(Path jar, Path work, int leaves) throws Exception {
        Path dir = work.resolve("verify");
        try (ServerLauncher server = ServerLauncher.start(jar, dir, List.of(), Map.of())) {
            FhirHttp http = new FhirHttp(server.token("admin"));
            List<String> samples = Collections.synchronizedList(new ArrayList<>());
            List<String> firstBundle = Collections.synchronizedList(new ArrayList<>());
            int perBundle = 500;
            int bundles = (leaves + perBundle - 1) / perBundle;
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<?>> loads = new ArrayList<>();
            long started = System.nanoTime();
            for (int b = 0; b < bundles; b++) {
                int bundle = b;
                loads.add(pool.submit(() -> {
                    JsonNode response = JSON.readTree(
                            http.post(server.baseUrl(), "application/fhir+json", patientsTransaction(bundle, perBundle))
                                    .body());
                    JsonNode entry = response.path("entry");
                    if (bundle == 0) {
                        entry.forEach(e -> firstBundle.add(
                                e.path("response").path("location").asText()));
                    }
                    for (int i = 0; i < entry.size(); i += 25) {
                        samples.add(
                                entry.get(i).path("response").path("location").asText());
                    }
                    return null;
                }));
            }
            for (Future<?> load : loads) {
                load.get();
            }
            pool.shutdown();
            out.printf(
                    "  loaded %d versions in %.1f s%n",
                    (long) bundles * perBundle, (System.nanoTime() - started) / 1e9);
            awaitAnchored(http, server, Duration.ofMinutes(15));
            long treeSize = health(http, server).path("treeSize").asLong();
            // Timed on a settled server: after a bulk load the archiver catches up on every leaf at once (it waited
            // while the load ran), a one-off burst that is not what $verify costs.
            long settling = System.nanoTime();
            double archivedAfter = awaitArchived(http, server, treeSize, settling, Duration.ofMinutes(15));
            out.printf("  anchored; archive caught up %.1f s later%n", archivedAfter);
            Collections.shuffle(samples);
            for (int i = 0; i < Math.min(300, samples.size()); i++) {
                http.getStatus(server.baseUrl() + "/" + samples.get(i) + "/$verify");
            }
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < Math.min(2000, samples.size()); i++) {
                long t = System.nanoTime();
                int status = http.getStatus(server.baseUrl() + "/" + samples.get(i) + "/$verify");
                millis.add((System.nanoTime() - t) / 1e6);
                if (status != 200) {
                    throw new IllegalStateException("$verify answered " + status);
                }
            }
            Collections.sort(millis);
            out.printf(
                    "RESULT $verify with %d leaves: p50 %.2f ms, p99 %.2f ms, max %.2f ms over %d calls (target p99 < 20 ms)%n",
                    treeSize,
                    percentile(millis, 0.5),
                    percentile(millis, 0.99),
                    millis.get(millis.size() - 1),
                    millis.size());
            multiVersionProofs(http, server, samples, firstBundle, treeSize);
        } finally {
            deleteRecursively(dir);
        }
    }

    /**
     * What a multi-version proof costs (docs/verification.md section 4.1): for 10, 100 and 1,000 versions spread over the
     * whole log (every 25th version of the load, shuffled) and for as many consecutive ones (one transaction's
     * Patients, like one patient's chart written together), the proof's bytes per version against a single-version
     * proof's, and the time of one {@code POST $verify}.
     */
    private void multiVersionProofs(
            FhirHttp http, ServerLauncher server, List<String> spread, List<String> consecutive, long treeSize)
            throws Exception {
        String one = spread.get(0);
        JsonNode single = http.getJson(server.baseUrl() + "/" + one + "/$verify");
        int singleBytes = java.util.Base64.getDecoder()
                .decode(FhirHttp.parameter(single, "proof").path("data").asText())
                .length;
        out.printf("RESULT single-version proof at %d leaves: %d bytes%n", treeSize, singleBytes);
        for (String layout : List.of("spread", "consecutive")) {
            List<String> pool = layout.equals("spread") ? spread : consecutive;
            for (int n : new int[] {10, 100, 1000}) {
                if (pool.size() < n) {
                    out.printf("  (%s: only %d versions to choose from, %d skipped)%n", layout, pool.size(), n);
                    continue;
                }
                com.fasterxml.jackson.databind.node.ObjectNode parameters =
                        JSON.createObjectNode().put("resourceType", "Parameters");
                com.fasterxml.jackson.databind.node.ArrayNode list = parameters.putArray("parameter");
                pool.subList(0, n)
                        .forEach(ref -> list.addObject().put("name", "resource").put("valueString", ref));
                byte[] body = JSON.writeValueAsBytes(parameters);
                http.post(server.baseUrl() + "/$verify", "application/fhir+json", body); // warm-up
                long t = System.nanoTime();
                var response = http.post(server.baseUrl() + "/$verify", "application/fhir+json", body);
                double millis = (System.nanoTime() - t) / 1e6;
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("$verify of " + n + " versions answered " + response.statusCode());
                }
                JsonNode answer = JSON.readTree(response.body());
                int proofBytes = java.util.Base64.getDecoder()
                        .decode(FhirHttp.parameter(answer, "proof").path("data").asText())
                        .length;
                int hashes = JSON.readTree(java.util.Base64.getDecoder()
                                .decode(FhirHttp.parameter(answer, "proof")
                                        .path("data")
                                        .asText()))
                        .path("hashes")
                        .size();
                out.printf(
                        "RESULT multi-version proof, %d %s versions of %d: %d bytes (%.0f per version, %.0f%% of %d single proofs),"
                                + " %d path hashes, answer %d bytes, %.1f ms%n",
                        n,
                        layout,
                        treeSize,
                        proofBytes,
                        (double) proofBytes / n,
                        100.0 * proofBytes / ((double) singleBytes * n),
                        n,
                        hashes,
                        response.body().length(),
                        millis);
            }
        }
    }

    private static byte[] patientsTransaction(int bundle, int count) {
        StringBuilder json = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append(
                            "{\"resource\":{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:fhir-anchor:benchmark\",")
                    .append("\"value\":\"")
                    .append(bundle)
                    .append('-')
                    .append(i)
                    .append("\"}],\"gender\":\"unknown\"},")
                    .append("\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}");
        }
        return json.append("]}").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static void awaitAnchored(FhirHttp http, ServerLauncher server, Duration timeout) throws Exception {
        awaitAnchored(http, server, timeout, Duration.ofMillis(500));
    }

    /** Waits until the log has entries and all are anchored, looking every {@code poll}. */
    static void awaitAnchored(FhirHttp http, ServerLauncher server, Duration timeout, Duration poll) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            JsonNode health = health(http, server);
            if (health.path("logEntries").asLong() > 0
                    && health.path("unanchoredEntries").asLong() == 0) {
                return;
            }
            Thread.sleep(poll.toMillis());
        }
        throw new IllegalStateException("not everything anchored within " + timeout);
    }

    /** Seconds from {@code sinceNanos} until the first {@code versions} leaves are archived. */
    static double awaitArchived(FhirHttp http, ServerLauncher server, long versions, long sinceNanos, Duration timeout)
            throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (archiveHealth(http, server).path("archivedTreeSize").asLong() >= versions) {
                return (System.nanoTime() - sinceNanos) / 1e9;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("not everything archived within " + timeout);
    }

    static JsonNode archiveHealth(FhirHttp http, ServerLauncher server) throws IOException, InterruptedException {
        return http.getJson(actuator(server) + "/health")
                .path("components")
                .path("archive")
                .path("details");
    }

    static JsonNode health(FhirHttp http, ServerLauncher server) throws IOException, InterruptedException {
        return http.getJson(actuator(server) + "/health")
                .path("components")
                .path("anchoring")
                .path("details");
    }

    private static double metric(FhirHttp http, ServerLauncher server, String name, String query) throws Exception {
        return metric(http, server, name, query, null);
    }

    private static double metric(FhirHttp http, ServerLauncher server, String name, String query, String statistic)
            throws Exception {
        JsonNode measurements =
                http.getJson(actuator(server) + "/metrics/" + name + query).path("measurements");
        for (JsonNode m : measurements) {
            if (statistic == null || statistic.equals(m.path("statistic").asText())) {
                return m.path("value").asDouble();
            }
        }
        return Double.NaN;
    }

    static String actuator(ServerLauncher server) {
        return server.baseUrl().replace("/fhir", "/actuator");
    }

    /** User plus system CPU seconds of a process and its descendants (the dev chain), from /proc. */
    static double cpuSeconds(long pid) {
        double total = processCpuSeconds(pid);
        for (ProcessHandle child :
                ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(List.of())) {
            total += processCpuSeconds(child.pid());
        }
        return total;
    }

    static double processCpuSeconds(long pid) {
        try {
            return ProcStat.read(pid).cpuSeconds();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Resident set size of a process, from /proc (Linux). */
    static long residentMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    static long countEntries(List<Path> bundles) throws IOException {
        long n = 0;
        for (Path bundle : bundles) {
            n += JSON.readTree(bundle.toFile()).path("entry").size();
        }
        return n;
    }

    /**
     * Whether a Synthea file is a patient bundle: those are named after the patient (capitalised), the shared
     * hospital and practitioner information bundles start in lower case.
     */
    static boolean isPatientBundle(Path bundle) {
        return bundle.getFileName().toString().matches("[A-Z].*");
    }

    private static int organizationsFirst(Path a, Path b) {
        boolean aPatient = isPatientBundle(a);
        boolean bPatient = isPatientBundle(b);
        return aPatient == bPatient ? a.compareTo(b) : (aPatient ? 1 : -1);
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int n = sorted.size();
        // A true median: with an even count, the mean of the two middle values (it used to take the lower one).
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The value at quantile {@code p} of sorted values: the smallest value with at least p of them at or below it. */
    static double percentile(List<Double> sorted, double p) {
        return sorted.isEmpty() ? Double.NaN : atQuantile(sorted, p);
    }

    /** {@link #percentile} of any sorted values; {@code sorted} must not be empty. */
    static <T> T atQuantile(List<T> sorted, double p) {
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static Path findSynthea() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("data").resolve("synthea-r4");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return Path.of("../shared/data/synthea-r4");
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; the OS cleans it eventually
        }
    }
}
