package org.fhiranchor.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Phase {@code request} of the benchmark: single FHIR requests, one at a time per connection, against the full
 * product and against plain HAPI in the same run.
 *
 * <p>Two servers, running at the same time, each loaded with the organization bundles and the first
 * {@code --request-patients} Synthea patients: <em>full</em> (default settings: security, audit, anchoring in
 * checkpoint mode, consent enforcement) and <em>plain</em> ({@code anchoring.mode=off}, audit off, consent enforcement
 * off). Security cannot be switched off in this product, so the plain server checks the same bearer token (an admin
 * token on both). Each operation runs with 1 and with 8 keep-alive HTTP/1.1 connections (one
 * {@link HttpClient} per connection, one request in flight on each), a warm-up then a timed window, the two servers
 * taking turns; the figures are requests per second over the window and the latency percentiles of every request in
 * it.
 */
final class RequestBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FHIR_JSON = "application/fhir+json";

    /** One operation of the phase: a request to send, given the connection's index and a running counter. */
    private interface Operation {
        HttpRequest.Builder request(Target target, int connection, long n);
    }

    /** What the operations need from a loaded server. */
    private record Target(
            String base,
            String token,
            String patient,
            String codeToken,
            List<String> observations,
            List<String> updatable,
            String observationTemplate) {}

    /**
     * Figures of one operation at one connection count: throughput and latency over the timed window; {@code sent}
     * counts the warm-up's requests too, and {@code cpuMillisPerRequest} is the server's CPU (its dev chain
     * included) from the start of the warm-up until it was quiet again after the window, over {@code sent}: what a
     * request costs, with whatever the server defers past the answer (audit events, anchoring).
     */
    record Figures(
            double perSecond,
            double p50Millis,
            double p99Millis,
            long requests,
            long errors,
            long sent,
            double cpuMillisPerRequest) {

        Figures withCpu(double cpuSeconds) {
            return new Figures(perSecond, p50Millis, p99Millis, requests, errors, sent, 1000 * cpuSeconds / sent);
        }
    }

    /** Below this many CPU seconds per second (both servers together), the machine counts as quiet. */
    private static final double QUIET_CORES = 0.15;

    /** The longest wait for quiet before a window starts anyway. */
    private static final Duration QUIET_TIMEOUT = Duration.ofSeconds(90);

    private final PrintStream out;
    private final Path jar;
    private final Path work;
    private final List<Path> bundles;
    private final int patients;
    private final Duration window;
    private final Duration warmUp;
    private final List<Integer> connections;
    private final List<String> operationNames;
    private final List<String> fullServerArgs;
    private final BenchmarkPostgres postgres;

    /** Every operation the phase can time, in the order it times them. */
    static final List<String> OPERATION_NAMES = List.copyOf(operations().keySet());

    RequestBenchmark(
            PrintStream out,
            Path jar,
            Path work,
            List<Path> bundles,
            int patients,
            Duration window,
            Duration warmUp,
            List<Integer> connections,
            List<String> operationNames,
            List<String> fullServerArgs,
            BenchmarkPostgres postgres) {
        this.out = out;
        this.jar = jar;
        this.work = work;
        this.bundles = bundles;
        this.patients = patients;
        this.window = window;
        this.warmUp = warmUp;
        this.connections = List.copyOf(connections);
        this.operationNames = List.copyOf(operationNames);
        this.fullServerArgs = List.copyOf(fullServerArgs);
        this.postgres = postgres;
    }

    private static Map<String, Operation> operations() {
        Map<String, Operation> ops = new LinkedHashMap<>();
        ops.put(
                "create",
                (t, c, n) -> HttpRequest.newBuilder(URI.create(t.base() + "/Observation"))
                        .header("Content-Type", FHIR_JSON)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                t.observationTemplate().replace("\"VALUE\"", Long.toString(n)))));
        ops.put("update", (t, c, n) -> {
            String id = t.updatable().get(c % t.updatable().size());
            String body = t.observationTemplate()
                    .replace("\"VALUE\"", Long.toString(n))
                    .replace(
                            "{\"resourceType\":\"Observation\",",
                            "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",");
            return HttpRequest.newBuilder(URI.create(t.base() + "/Observation/" + id))
                    .header("Content-Type", FHIR_JSON)
                    .PUT(HttpRequest.BodyPublishers.ofString(body));
        });
        ops.put(
                "read",
                (t, c, n) -> get(t.base() + "/"
                        + t.observations().get((int) (n % t.observations().size()))));
        ops.put(
                "vread",
                (t, c, n) -> get(t.base() + "/"
                        + t.observations().get((int) (n % t.observations().size())) + "/_history/1"));
        ops.put(
                "search",
                (t, c, n) -> get(t.base() + "/Observation?patient=" + t.patient() + "&code="
                        + URLEncoder.encode(t.codeToken(), StandardCharsets.UTF_8)));
        ops.put("$everything", (t, c, n) -> get(t.base() + "/" + t.patient() + "/$everything"));
        ops.put("metadata", (t, c, n) -> get(t.base() + "/metadata"));
        return ops;
    }

    private static HttpRequest.Builder get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).GET();
    }

    void run() throws Exception {
        List<Path> load = new ArrayList<>(bundles.stream()
                .filter(p -> !BenchmarkCommand.isPatientBundle(p))
                .toList());
        load.addAll(bundles.stream()
                .filter(BenchmarkCommand::isPatientBundle)
                .limit(patients)
                .toList());
        out.printf(
                "request phase: %d bundles (%d patients), %s warm-up and %s timed per operation and connection count, "
                        + "connections %s, database %s%n",
                load.size(),
                patients,
                warmUp,
                window,
                connections,
                postgres == null ? "H2 (each server's data directory)" : "PostgreSQL " + postgres.adminUrl());
        Map<String, List<String>> modes = new LinkedHashMap<>();
        modes.put(
                "plain",
                List.of(
                        "--fhir-anchor.anchoring.mode=off",
                        "--fhir-anchor.audit.enabled=false",
                        "--fhir-anchor.consent.enforcement=false"));
        modes.put("full", fullServerArgs);
        // Both servers run at once and take turns, operation by operation (alternating which goes first), so that
        // both see the same load from whatever else runs on the machine; the one not measured is idle meanwhile.
        // On PostgreSQL each server gets a fresh database of its own on the same cluster, dropped at the end.
        Map<String, String> databases = new LinkedHashMap<>();
        ExecutorService starting = Executors.newFixedThreadPool(modes.size());
        Map<String, Future<ServerLauncher>> launches = new LinkedHashMap<>();
        Map<String, ServerLauncher> servers = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, List<String>> mode : modes.entrySet()) {
                List<String> serverArgs = new ArrayList<>(mode.getValue());
                if (postgres != null) {
                    String database = postgres.createDatabase();
                    databases.put(mode.getKey(), database);
                    serverArgs.addAll(0, postgres.serverArgs(database));
                }
                Map<String, String> environment = postgres == null ? Map.of() : postgres.serverEnvironment();
                launches.put(
                        mode.getKey(),
                        starting.submit(() -> ServerLauncher.start(
                                jar, work.resolve("request-" + mode.getKey()), serverArgs, environment)));
            }
            starting.shutdown();
            for (Map.Entry<String, Future<ServerLauncher>> launch : launches.entrySet()) {
                servers.put(launch.getKey(), launch.getValue().get());
            }
            Map<String, Target> targets = new LinkedHashMap<>();
            for (Map.Entry<String, ServerLauncher> server : servers.entrySet()) {
                targets.put(server.getKey(), load(server.getKey(), server.getValue(), load));
            }
            Map<String, Map<String, Figures>> results = new LinkedHashMap<>();
            modes.keySet().forEach(mode -> results.put(mode, new LinkedHashMap<>()));
            List<String> modeNames = new ArrayList<>(modes.keySet());
            int opIndex = 0;
            for (Map.Entry<String, Operation> op : operations().entrySet()) {
                if (!operationNames.contains(op.getKey())) {
                    continue;
                }
                for (int ci = 0; ci < connections.size(); ci++) {
                    int c = connections.get(ci);
                    String key = op.getKey() + " x" + c;
                    // Which server goes first alternates over both operations and connection counts.
                    List<String> order = new ArrayList<>(modeNames);
                    if ((opIndex + ci) % 2 == 1) {
                        Collections.reverse(order);
                    }
                    for (String mode : order) {
                        // Neither server's window pays for work the other deferred past its answers.
                        double waited = settle(servers, targets);
                        ServerLauncher server = servers.get(mode);
                        double cpuBefore = BenchmarkCommand.cpuSeconds(server.pid());
                        Figures timedFigures = timed(targets.get(mode), op.getValue(), c);
                        settle(Map.of(mode, server), targets);
                        Figures f = timedFigures.withCpu(BenchmarkCommand.cpuSeconds(server.pid()) - cpuBefore);
                        results.get(mode).put(key, f);
                        out.printf(
                                "  %-5s %-16s %7.1f/s  p50 %7.2f ms  p99 %8.2f ms  (%d requests, %d errors); "
                                        + "CPU %.2f ms per request; waited %.1f s for quiet before%n",
                                mode,
                                key,
                                f.perSecond(),
                                f.p50Millis(),
                                f.p99Millis(),
                                f.requests(),
                                f.errors(),
                                f.cpuMillisPerRequest(),
                                waited);
                    }
                }
                opIndex++;
            }
            Map<String, Figures> plain = results.get("plain");
            Map<String, Figures> full = results.get("full");
            for (String key : full.keySet()) {
                Figures f = full.get(key);
                Figures p = plain.get(key);
                out.printf(
                        "RESULT request %-16s full %7.1f/s p50 %7.2f p99 %8.2f ms | plain %7.1f/s p50 %7.2f p99 %8.2f ms | "
                                + "full/plain throughput %5.1f%%, p99 %4.2fx, CPU per request %.2f / %.2f ms (%4.2fx)%n",
                        key,
                        f.perSecond(),
                        f.p50Millis(),
                        f.p99Millis(),
                        p.perSecond(),
                        p.p50Millis(),
                        p.p99Millis(),
                        100 * f.perSecond() / p.perSecond(),
                        f.p99Millis() / p.p99Millis(),
                        f.cpuMillisPerRequest(),
                        p.cpuMillisPerRequest(),
                        f.cpuMillisPerRequest() / p.cpuMillisPerRequest());
            }
        } finally {
            starting.shutdown();
            for (Future<ServerLauncher> launch : launches.values()) {
                try {
                    launch.get().close();
                } catch (java.util.concurrent.ExecutionException notStarted) {
                    // its start failed and ServerLauncher stopped it
                }
            }
            modes.keySet().forEach(mode -> BenchmarkCommand.deleteRecursively(work.resolve("request-" + mode)));
            for (String database : databases.values()) {
                postgres.dropDatabase(database);
            }
        }
    }

    private Target load(String mode, ServerLauncher server, List<Path> load) throws Exception {
        String token = server.token("admin");
        FhirHttp http = new FhirHttp(token);
        long started = System.nanoTime();
        for (Path bundle : load) {
            BenchmarkCommand.postBundle(http, server, bundle);
        }
        out.printf(
                "  %s: started in %.1f s, loaded in %.1f s%n",
                mode, server.startupMillis() / 1000.0, (System.nanoTime() - started) / 1e9);
        return target(http, server.baseUrl(), token);
    }

    /** The patient with the most Observations among those loaded, one of its codes, and resources to read and update. */
    private Target target(FhirHttp http, String base, String token) throws Exception {
        String patient = null;
        int most = -1;
        for (JsonNode entry :
                http.getJson(base + "/Patient?_count=100&_elements=id").path("entry")) {
            String id = "Patient/" + entry.path("resource").path("id").asText();
            int count = http.getJson(base + "/Observation?patient=" + id + "&_summary=count")
                    .path("total")
                    .asInt();
            if (count > most) {
                most = count;
                patient = id;
            }
        }
        if (patient == null || most <= 0) {
            throw new IllegalStateException("no patient with Observations loaded");
        }
        List<String> observations = new ArrayList<>();
        String codeToken = null;
        for (JsonNode entry : http.getJson(base + "/Observation?patient=" + patient + "&_count=200")
                .path("entry")) {
            JsonNode resource = entry.path("resource");
            observations.add("Observation/" + resource.path("id").asText());
            JsonNode coding = resource.path("code").path("coding").path(0);
            if (codeToken == null && coding.has("code")) {
                codeToken = coding.path("system").asText() + "|"
                        + coding.path("code").asText();
            }
        }
        String template = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":"
                + "\"http://loinc.org\",\"code\":\"8867-4\",\"display\":\"Heart rate\"}]},\"subject\":{\"reference\":\""
                + patient + "\"},\"effectiveDateTime\":\"2026-01-01T10:00:00Z\",\"valueQuantity\":{\"value\":\"VALUE\","
                + "\"unit\":\"/min\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"/min\"}}";
        List<String> updatable = new ArrayList<>();
        int maxConnections =
                connections.stream().mapToInt(Integer::intValue).max().orElse(1);
        for (int i = 0; i < maxConnections; i++) {
            HttpResponse<String> created = http.post(
                    base + "/Observation",
                    FHIR_JSON,
                    template.replace("\"VALUE\"", "60").getBytes(StandardCharsets.UTF_8));
            if (created.statusCode() != 201) {
                throw new IllegalStateException("create Observation: HTTP " + created.statusCode());
            }
            updatable.add(JSON.readTree(created.body()).path("id").asText());
        }
        return new Target(base, token, patient, codeToken, observations, updatable, template);
    }

    /** {@code c} connections, each sending {@code op} one request at a time: a warm-up, then the timed window. */
    private Figures timed(Target target, Operation op, int c) throws Exception {
        AtomicLong counter = new AtomicLong();
        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            clients.add(HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build());
        }
        run(clients, target, op, warmUp, counter, null);
        List<List<Long>> latencies = new ArrayList<>();
        long[] errors = new long[c];
        for (int i = 0; i < c; i++) {
            latencies.add(new ArrayList<>());
        }
        double seconds = run(clients, target, op, window, counter, new Recorder(latencies, errors));
        List<Long> all = new ArrayList<>();
        latencies.forEach(all::addAll);
        Collections.sort(all);
        long errorCount = java.util.Arrays.stream(errors).sum();
        if (all.isEmpty()) {
            return new Figures(0, Double.NaN, Double.NaN, 0, errorCount, counter.get(), Double.NaN);
        }
        return new Figures(
                all.size() / seconds,
                BenchmarkCommand.atQuantile(all, 0.50) / 1e6,
                BenchmarkCommand.atQuantile(all, 0.99) / 1e6,
                all.size(),
                errorCount,
                counter.get(),
                Double.NaN);
    }

    /**
     * Waits until the full server has anchored everything it logged, then until the servers together use less than
     * {@link #QUIET_CORES} of a core in each of three seconds in a row (the audit, archive and checkpoint jobs run
     * every 0.5 to 10 s; the garbage collector and the JIT compiler done too), or {@link #QUIET_TIMEOUT}; returns the
     * seconds waited.
     */
    private static double settle(Map<String, ServerLauncher> servers, Map<String, Target> targets) throws Exception {
        long started = System.nanoTime();
        ServerLauncher full = servers.get("full");
        if (full != null) {
            BenchmarkCommand.awaitAnchored(new FhirHttp(targets.get("full").token()), full, QUIET_TIMEOUT);
        }
        double before = cpuSeconds(servers.values());
        int quietSeconds = 0;
        while (quietSeconds < 3 && System.nanoTime() - started < QUIET_TIMEOUT.toNanos()) {
            Thread.sleep(1000);
            double now = cpuSeconds(servers.values());
            quietSeconds = now - before < QUIET_CORES ? quietSeconds + 1 : 0;
            before = now;
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private static double cpuSeconds(Collection<ServerLauncher> servers) {
        return servers.stream()
                .mapToDouble(server -> BenchmarkCommand.cpuSeconds(server.pid()))
                .sum();
    }

    private record Recorder(List<List<Long>> latencies, long[] errors) {}

    /**
     * Wall seconds the connections ran (one client each, so one keep-alive connection each, kept from the warm-up to
     * the timed window); each stops at its first request started after {@code length}.
     */
    private static double run(
            List<HttpClient> clients,
            Target target,
            Operation op,
            Duration length,
            AtomicLong counter,
            Recorder recorder)
            throws Exception {
        int c = clients.size();
        ExecutorService pool = Executors.newFixedThreadPool(c);
        try {
            long started = System.nanoTime();
            long end = started + length.toNanos();
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < c; i++) {
                int connection = i;
                workers.add(pool.submit(() -> {
                    HttpClient client = clients.get(connection);
                    while (System.nanoTime() < end) {
                        HttpRequest request = op.request(target, connection, counter.incrementAndGet())
                                .timeout(Duration.ofMinutes(2))
                                .header("Accept", FHIR_JSON)
                                .header("Authorization", "Bearer " + target.token())
                                .build();
                        long t = System.nanoTime();
                        int status = client.send(request, HttpResponse.BodyHandlers.discarding())
                                .statusCode();
                        long took = System.nanoTime() - t;
                        if (recorder != null) {
                            if (status / 100 == 2) {
                                recorder.latencies().get(connection).add(took);
                            } else {
                                recorder.errors()[connection]++;
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
            return (System.nanoTime() - started) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }
}
