package org.fhiranchor.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Phase {@code scale} of the benchmark: how the cost per version grows with the size of the log.
 *
 * <p>One server (all defaults: security, audit, anchoring in checkpoint mode; an admin token) is loaded by
 * {@code threads} clients with transactions of {@code perTransaction} small resources (Patients, each with nine
 * Observations). At each milestone (versions loaded) the load pauses and the phase
 * measures, on the server as the load left it: the ingest rate of the segment since the previous milestone; the
 * sequencer's throughput and the checkpoint send time over the segment (the server's own timers); how long until
 * everything is anchored; {@code $verify} p50/p99 over random versions of the whole log (after a warm-up);
 * {@code $consistency} between the first anchored checkpoint and the latest; {@code /actuator/health} and
 * {@code /actuator/prometheus} p50; the database's size on disk per log entry; the server's RSS. The archiver is left
 * alone (it waits while clients write and catches up in bursts): its backlog is printed, not waited for.
 */
final class ScaleBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FHIR_JSON = "application/fhir+json";

    /** The figures at one milestone. */
    record Milestone(
            long versions,
            long logEntries,
            double ingestPerSecond,
            double sequencedPerSecond,
            double checkpointSendMillis,
            double anchoredWaitSeconds,
            double verifyP50,
            double verifyP99,
            long consistencyFrom,
            long consistencyTo,
            double consistencyMillis,
            double healthP50,
            double prometheusP50,
            long databaseBytes,
            long rssMb,
            long archiveBacklog,
            String loadAverage) {}

    private final PrintStream out;
    private final Path jar;
    private final Path work;
    private final List<Long> milestones;
    private final int threads;
    private final int perTransaction;
    private final int verifyCalls;
    private final long warmUpVersions;
    private final List<String> serverArgs;
    /** Where the server keeps its data: {@code null} for the embedded H2 file in its data directory. */
    private final BenchmarkPostgres postgres;
    /**
     * After the last milestone: wait until the archiver has caught up (it waits while clients write in bulk, then
     * archives the whole backlog at once, a burst of CPU that no steady server has) and time {@code $verify} again.
     */
    private final Duration settleTimeout;

    ScaleBenchmark(
            PrintStream out,
            Path jar,
            Path work,
            List<Long> milestones,
            int threads,
            int perTransaction,
            int verifyCalls,
            long warmUpVersions,
            List<String> serverArgs,
            BenchmarkPostgres postgres,
            Duration settleTimeout) {
        this.out = out;
        this.jar = jar;
        this.work = work;
        this.milestones = List.copyOf(milestones);
        this.threads = threads;
        this.perTransaction = perTransaction;
        this.verifyCalls = verifyCalls;
        this.warmUpVersions = warmUpVersions;
        this.serverArgs = List.copyOf(serverArgs);
        this.postgres = postgres;
        this.settleTimeout = settleTimeout;
    }

    /** {@code 10000,100000,1e6,1M,10k} to sorted, distinct, positive version counts. */
    static List<Long> parseMilestones(List<String> specs) {
        List<Long> values = new ArrayList<>();
        for (String spec : specs) {
            String s = spec.trim().replace("_", "").toLowerCase(java.util.Locale.ROOT);
            if (s.isEmpty()) {
                continue;
            }
            double factor = 1;
            if (s.endsWith("k")) {
                factor = 1e3;
                s = s.substring(0, s.length() - 1);
            } else if (s.endsWith("m")) {
                factor = 1e6;
                s = s.substring(0, s.length() - 1);
            }
            double v;
            try {
                v = Double.parseDouble(s) * factor;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a milestone: " + spec);
            }
            if (v < 1 || v != Math.rint(v)) {
                throw new IllegalArgumentException("a milestone is a positive whole number of versions: " + spec);
            }
            values.add((long) v);
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no milestones");
        }
        return values.stream().distinct().sorted().toList();
    }

    void run() throws Exception {
        Path dir = work.resolve("scale");
        out.printf(
                "scale phase: milestones %s versions, %d client thread(s), transactions of %d resources, %d $verify "
                        + "calls per milestone, server args %s, database %s%n",
                milestones,
                threads,
                perTransaction,
                verifyCalls,
                serverArgs,
                postgres == null ? "H2 (data directory)" : "PostgreSQL " + postgres.adminUrl());
        String database = postgres == null ? null : postgres.createDatabase();
        try {
            run(dir, database);
        } finally {
            if (database != null) {
                postgres.dropDatabase(database);
            }
        }
    }

    private void run(Path dir, String database) throws Exception {
        List<String> args = new ArrayList<>(serverArgs);
        if (database != null) {
            args.addAll(0, postgres.serverArgs(database));
        }
        List<Milestone> results = new ArrayList<>();
        try (ServerLauncher server =
                ServerLauncher.start(jar, dir, args, database == null ? Map.of() : postgres.serverEnvironment())) {
            out.printf(
                    "  server started in %.1f s, RSS %d MB%n",
                    server.startupMillis() / 1000.0, BenchmarkCommand.residentMb(server.pid()));
            FhirHttp http = new FhirHttp(server.token("admin"));
            List<String> samples = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger nextTransaction = new AtomicInteger();
            long loaded = 0;
            if (warmUpVersions > 0) {
                // Untimed, counted in the versions: the first segment then measures a compiled server, not the JIT.
                int transactions = (int) ((warmUpVersions + perTransaction - 1) / perTransaction);
                double seconds = load(http, server, transactions, nextTransaction, samples);
                loaded += (long) transactions * perTransaction;
                out.printf("  warm-up: %,d versions in %.1f s (not in any segment)%n", loaded, seconds);
            }
            Counters previous = counters(http, server);
            for (long milestone : milestones) {
                if (milestone <= loaded) {
                    continue;
                }
                int transactions = (int) ((milestone - loaded + perTransaction - 1) / perTransaction);
                double seconds = load(http, server, transactions, nextTransaction, samples);
                long segment = (long) transactions * perTransaction;
                loaded += segment;
                long ended = System.nanoTime();
                BenchmarkCommand.awaitAnchored(http, server, Duration.ofMinutes(60), Duration.ofMillis(250));
                double anchoredWait = (System.nanoTime() - ended) / 1e9;
                Counters now = counters(http, server);
                JsonNode anchoring = BenchmarkCommand.health(http, server);
                JsonNode archive = BenchmarkCommand.archiveHealth(http, server);
                long entries = anchoring.path("logEntries").asLong();
                double[] verify = verify(http, server, samples);
                long[] range = consistencyRange(http, server);
                double consistency = consistency(http, server, range[0], range[1]);
                double healthP50 = p50Millis(http, BenchmarkCommand.actuator(server) + "/health", 50);
                double prometheusP50 = p50Millis(http, metricsUrl(http, server), 50);
                Milestone m = new Milestone(
                        loaded,
                        entries,
                        segment / seconds,
                        (now.sequenced() - previous.sequenced())
                                / Math.max(1e-9, now.sequencerSeconds() - previous.sequencerSeconds()),
                        now.checkpointSends() > previous.checkpointSends()
                                ? 1000
                                        * (now.checkpointSeconds() - previous.checkpointSeconds())
                                        / (now.checkpointSends() - previous.checkpointSends())
                                : Double.NaN,
                        anchoredWait,
                        verify[0],
                        verify[1],
                        range[0],
                        range[1],
                        consistency,
                        healthP50,
                        prometheusP50,
                        database == null ? databaseBytes(dir) : postgres.databaseBytes(database),
                        BenchmarkCommand.residentMb(server.pid()),
                        archive.path("backlog").asLong(),
                        loadAverage());
                previous = now;
                results.add(m);
                out.printf(
                        "  %,d versions (%,d log entries): ingest %.0f entries/s over the last %,d (%.1f s); sequencer "
                                + "%.0f entries/s; checkpoint send %.0f ms; anchored %.1f s after the load; $verify p50 %.2f / "
                                + "p99 %.2f ms; $consistency %d..%d %.2f ms; health p50 %.2f ms, metrics scrape p50 %.2f ms; "
                                + "database %,d bytes (%.0f per log entry); RSS %d MB; archive backlog %,d; load average %s%n",
                        m.versions(),
                        m.logEntries(),
                        m.ingestPerSecond(),
                        segment,
                        seconds,
                        m.sequencedPerSecond(),
                        m.checkpointSendMillis(),
                        m.anchoredWaitSeconds(),
                        m.verifyP50(),
                        m.verifyP99(),
                        m.consistencyFrom(),
                        m.consistencyTo(),
                        m.consistencyMillis(),
                        m.healthP50(),
                        m.prometheusP50(),
                        m.databaseBytes(),
                        (double) m.databaseBytes() / Math.max(1, m.logEntries()),
                        m.rssMb(),
                        m.archiveBacklog(),
                        m.loadAverage());
            }
            if (!settleTimeout.isZero() && !results.isEmpty()) {
                settled(http, server, loaded, samples);
            }
        } finally {
            BenchmarkCommand.deleteRecursively(dir);
        }
        printTable(results);
    }

    /** Everything archived, then the same {@code $verify} timing as at a milestone, on the settled server. */
    private void settled(FhirHttp http, ServerLauncher server, long versions, List<String> samples) throws Exception {
        long started = System.nanoTime();
        long leaves = BenchmarkCommand.health(http, server).path("treeSize").asLong(versions);
        double seconds = BenchmarkCommand.awaitArchived(http, server, leaves, started, settleTimeout);
        double[] verify = verify(http, server, samples);
        out.printf(
                "RESULT scale settled: %,d leaves archived %.1f s after the last milestone; then $verify p50 %.2f / p99 "
                        + "%.2f ms over %d calls; load average %s%n",
                leaves, seconds, verify[0], verify[1], verifyCalls, loadAverage());
    }

    private void printTable(List<Milestone> results) {
        out.println("RESULT scale:");
        out.println("| Versions | Log entries | Ingest entries/s (segment) | Sequencer entries/s | Checkpoint send ms "
                + "| Anchored after s | $verify p50 / p99 ms | $consistency ms (from..to) | Health p50 ms | Metrics scrape p50 ms "
                + "| Database bytes per entry | RSS MB | Load average |");
        out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (Milestone m : results) {
            out.printf(
                    "| %,d | %,d | %.0f | %.0f | %.0f | %.1f | %.2f / %.2f | %.2f (%d..%d) | %.2f | %.2f | %.0f | %d | %s |%n",
                    m.versions(),
                    m.logEntries(),
                    m.ingestPerSecond(),
                    m.sequencedPerSecond(),
                    m.checkpointSendMillis(),
                    m.anchoredWaitSeconds(),
                    m.verifyP50(),
                    m.verifyP99(),
                    m.consistencyMillis(),
                    m.consistencyFrom(),
                    m.consistencyTo(),
                    m.healthP50(),
                    m.prometheusP50(),
                    (double) m.databaseBytes() / Math.max(1, m.logEntries()),
                    m.rssMb(),
                    m.loadAverage());
        }
        if (results.size() >= 2) {
            Milestone first = results.get(0);
            Milestone last = results.get(results.size() - 1);
            out.printf(
                    "RESULT scale: ingest at %,d versions %.1f%% of the rate at %,d (target: within 10%%); $verify p99 at %,d "
                            + "versions %.2f ms (target < 20 ms at 1,000,000)%n",
                    last.versions(),
                    100 * last.ingestPerSecond() / first.ingestPerSecond(),
                    first.versions(),
                    last.versions(),
                    last.verifyP99());
        }
    }

    /** Posts {@code transactions} bundles from {@code threads} clients; wall seconds. */
    private double load(
            FhirHttp http, ServerLauncher server, int transactions, AtomicInteger nextTransaction, List<String> samples)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger left = new AtomicInteger(transactions);
        long started = System.nanoTime();
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    while (left.getAndDecrement() > 0) {
                        int n = nextTransaction.getAndIncrement();
                        var response = http.post(server.baseUrl(), FHIR_JSON, transaction(n, perTransaction));
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException("transaction " + n + ": HTTP " + response.statusCode());
                        }
                        JsonNode entry = JSON.readTree(response.body()).path("entry");
                        // One version in 25 of every transaction: the pool $verify draws from.
                        for (int i = n % 25; i < entry.size(); i += 25) {
                            samples.add(entry.get(i)
                                    .path("response")
                                    .path("location")
                                    .asText());
                        }
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
        return (System.nanoTime() - started) / 1e9;
    }

    /**
     * One transaction of {@code count} entries: Patients, each followed by nine Observations of it (heart rates) that
     * reference it by its {@code urn:uuid} full URL, as a hospital's interface sends a patient with their results.
     */
    static byte[] transaction(int n, int count) {
        StringBuilder json = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
        String patientUrl = null;
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                json.append(',');
            }
            if (i % 10 == 0) {
                patientUrl = "urn:uuid:" + new java.util.UUID(0x5ca1eL + n, i);
                json.append("{\"fullUrl\":\"")
                        .append(patientUrl)
                        .append("\",\"resource\":{\"resourceType\":\"Patient\",")
                        .append("\"identifier\":[{\"system\":\"urn:fhir-anchor:benchmark\",\"value\":\"scale-")
                        .append(n)
                        .append('-')
                        .append(i)
                        .append("\"}],\"gender\":\"unknown\"},\"request\":{\"method\":\"POST\",")
                        .append("\"url\":\"Patient\"}}");
                continue;
            }
            json.append("{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{")
                    .append("\"system\":\"http://loinc.org\",\"code\":\"8867-4\"}]},\"subject\":{\"reference\":\"")
                    .append(patientUrl)
                    .append("\"},\"effectiveDateTime\":\"2026-01-01T10:0")
                    .append(i % 10)
                    .append(":00Z\",\"valueQuantity\":{\"value\":")
                    .append(50 + (n + i) % 70)
                    .append(",\"unit\":\"/min\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"/min\"}},")
                    .append("\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One timed call: when it started, what it asked for, how long the answer took. */
    record TimedCall(Instant at, String version, double millis) {}

    /** The {@code n} slowest calls, slowest first. */
    static List<TimedCall> slowest(List<TimedCall> calls, int n) {
        return calls.stream()
                .sorted(Comparator.comparingDouble(TimedCall::millis).reversed())
                .limit(n)
                .toList();
    }

    private static final int SLOWEST_SHOWN = 5;

    /** p50 and p99 of {@code verifyCalls} timed $verify calls on random versions of the whole log, after a warm-up. */
    private double[] verify(FhirHttp http, ServerLauncher server, List<String> samples) throws Exception {
        List<String> pool;
        synchronized (samples) {
            pool = new ArrayList<>(samples);
        }
        Random random = new Random(pool.size());
        for (int i = 0; i < Math.max(50, verifyCalls / 3); i++) {
            http.getStatus(server.baseUrl() + "/" + pool.get(random.nextInt(pool.size())) + "/$verify");
        }
        List<Double> millis = new ArrayList<>();
        List<TimedCall> calls = new ArrayList<>();
        for (int i = 0; i < verifyCalls; i++) {
            String version = pool.get(random.nextInt(pool.size()));
            Instant at = Instant.now();
            long t = System.nanoTime();
            int status = http.getStatus(server.baseUrl() + "/" + version + "/$verify");
            double ms = (System.nanoTime() - t) / 1e6;
            millis.add(ms);
            calls.add(new TimedCall(at, version, ms));
            if (status != 200) {
                throw new IllegalStateException("$verify of " + version + " answered " + status);
            }
        }
        out.println("  slowest $verify calls (start, UTC), to match against the server's and the database's logs:");
        slowest(calls, SLOWEST_SHOWN)
                .forEach(c -> out.printf("    %s  %.2f ms  %s%n", c.at(), c.millis(), c.version()));
        Collections.sort(millis);
        return new double[] {BenchmarkCommand.percentile(millis, 0.5), BenchmarkCommand.percentile(millis, 0.99)};
    }

    /** The first anchored checkpoint and the latest. */
    private static long[] consistencyRange(FhirHttp http, ServerLauncher server) throws Exception {
        long first = 0;
        for (JsonNode p :
                http.getJson(server.baseUrl() + "/$checkpoints?_count=20").path("parameter")) {
            long size = 0;
            boolean anchored = false;
            for (JsonNode part : p.path("part")) {
                if (part.path("name").asText().equals("treeSize")) {
                    size = part.path("valueInteger64")
                            .asLong(part.path("valueInteger")
                                    .asLong(part.path("valueDecimal")
                                            .asLong(part.path("valueString").asLong())));
                }
                if (part.path("name").asText().equals("status")
                        && part.path("valueString").asText().equals("anchored")) {
                    anchored = true;
                }
            }
            if (anchored && size > 0) {
                first = size;
                break;
            }
        }
        long latest =
                BenchmarkCommand.health(http, server).path("anchoredTreeSize").asLong();
        return new long[] {first, latest};
    }

    /** p50 of 20 timed $consistency calls (after 5 untimed). */
    private static double consistency(FhirHttp http, ServerLauncher server, long from, long to) throws Exception {
        if (from <= 0 || to < from) {
            return Double.NaN;
        }
        String url = server.baseUrl() + "/$consistency?from=" + from + "&to=" + to;
        int status = http.getStatus(url);
        if (status != 200) {
            throw new IllegalStateException("$consistency from " + from + " to " + to + " answered " + status);
        }
        return p50Millis(http, url, 20);
    }

    /**
     * The scrape to time: {@code /actuator/prometheus} where the Prometheus registry is on the class path, else the
     * anchoring backlog gauge through {@code /actuator/metrics} (which reads the same status a scrape does).
     */
    private static String metricsUrl(FhirHttp http, ServerLauncher server) throws Exception {
        String prometheus = BenchmarkCommand.actuator(server) + "/prometheus";
        return http.getStatus(prometheus) == 200
                ? prometheus
                : BenchmarkCommand.actuator(server) + "/metrics/fhir_anchor.anchoring.backlog";
    }

    private static double p50Millis(FhirHttp http, String url, int calls) throws Exception {
        for (int i = 0; i < 5; i++) {
            http.getStatus(url);
        }
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            long t = System.nanoTime();
            int status = http.getStatus(url);
            millis.add((System.nanoTime() - t) / 1e6);
            if (status != 200) {
                throw new IllegalStateException(url + " answered " + status);
            }
        }
        Collections.sort(millis);
        return BenchmarkCommand.percentile(millis, 0.5);
    }

    /** Cumulative server counters: entries sequenced and the time of those passes, checkpoint sends and their time. */
    private record Counters(
            double sequenced, double sequencerSeconds, double checkpointSends, double checkpointSeconds) {}

    private static Counters counters(FhirHttp http, ServerLauncher server) throws Exception {
        JsonNode pass = meter(http, server, "fhir_anchor.log.sequencer.pass");
        JsonNode send = meter(http, server, "fhir_anchor.anchoring.checkpoint.send");
        return new Counters(
                statistic(meter(http, server, "fhir_anchor.log.sequenced"), "COUNT"),
                statistic(pass, "TOTAL_TIME"),
                statistic(send, "COUNT"),
                statistic(send, "TOTAL_TIME"));
    }

    private static JsonNode meter(FhirHttp http, ServerLauncher server, String name) throws Exception {
        return http.getJson(BenchmarkCommand.actuator(server) + "/metrics/" + name)
                .path("measurements");
    }

    private static double statistic(JsonNode measurements, String statistic) {
        for (JsonNode m : measurements) {
            if (statistic.equals(m.path("statistic").asText())) {
                return m.path("value").asDouble();
            }
        }
        return 0;
    }

    /** Bytes of the server's relational database: the H2 files under {@code db/} of its data directory. */
    private static long databaseBytes(Path dataDir) {
        Path db = dataDir.resolve("db");
        if (!Files.isDirectory(db)) {
            return -1;
        }
        try (Stream<Path> files = Files.walk(db)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(p -> {
                        try {
                            return Files.size(p);
                        } catch (IOException gone) {
                            return 0;
                        }
                    })
                    .sum();
        } catch (IOException e) {
            return -1;
        }
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
