package org.fhiranchor.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The {@code privacy} phase: warm clinician searches ({@code Observation?patient=<id>&_count=50} for every Synthea
 * patient) on two servers loaded with the same Synthea set, one with no privacy consent and one with 1,000 (denies
 * naming ten other practitioners, spread over the patients, so the answers are the same and only the consent
 * evaluation is added). Both servers run at once, are settled (everything anchored and archived) before the first
 * timed pass, and take turns pass by pass, alternating which goes first, so both see the same load from whatever else
 * runs on the machine.
 */
final class PrivacyBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FHIR_JSON = "application/fhir+json";
    static final int CONSENTS = 1000;
    private static final int OTHER_PRACTITIONERS = 10;

    /** A loaded server, the clinician token's client, and the patients to search. */
    private record Target(ServerLauncher server, FhirHttp clinician, List<String> patients) {}

    private final PrintStream out;
    private final Path jar;
    private final Path work;
    private final List<Path> bundles;
    private final int rounds;
    private final int passesPerRound;

    PrivacyBenchmark(PrintStream out, Path jar, Path work, List<Path> bundles, int rounds, int passesPerRound) {
        this.out = out;
        this.jar = jar;
        this.work = work;
        this.bundles = bundles;
        this.rounds = rounds;
        this.passesPerRound = passesPerRound;
    }

    void run() throws Exception {
        Map<String, Integer> modes = new LinkedHashMap<>();
        modes.put("none", 0);
        modes.put("consents", CONSENTS);
        ExecutorService loading = Executors.newFixedThreadPool(modes.size());
        Map<String, Future<ServerLauncher>> launches = new LinkedHashMap<>();
        modes.keySet()
                .forEach(mode -> launches.put(
                        mode,
                        loading.submit(() ->
                                ServerLauncher.start(jar, work.resolve("privacy-" + mode), List.of(), Map.of()))));
        try {
            // Loaded one after the other: each load is the same work, and they do not slow each other down.
            Map<String, Target> targets = new LinkedHashMap<>();
            for (Map.Entry<String, Future<ServerLauncher>> launch : launches.entrySet()) {
                targets.put(launch.getKey(), load(launch.getValue().get(), modes.get(launch.getKey())));
            }
            for (Target target : targets.values()) {
                settle(target.server());
                searchPass(target); // warm-up
                searchPass(target);
            }
            Map<String, List<Double>> perSecond = new LinkedHashMap<>();
            targets.keySet().forEach(mode -> perSecond.put(mode, new ArrayList<>()));
            List<String> order = new ArrayList<>(targets.keySet());
            for (int round = 0; round < rounds; round++) {
                for (int pass = 0; pass < passesPerRound; pass++) {
                    for (String mode : order) {
                        perSecond.get(mode).add(searchPass(targets.get(mode)));
                    }
                    java.util.Collections.reverse(order);
                }
            }
            double none = BenchmarkCommand.median(perSecond.get("none"));
            double with = BenchmarkCommand.median(perSecond.get("consents"));
            out.printf(
                    "  privacy passes (searches/s), none: %s%n  privacy passes (searches/s), consents: %s%n",
                    format(perSecond.get("none")), format(perSecond.get("consents")));
            out.printf(
                    "RESULT clinician search throughput, warm, %d patients, two servers taking turns, median of %d passes "
                            + "each: no privacy consents %.1f/s, %,d privacy consents %.1f/s, with/without = %.1f%% (target >= 90%%)%n",
                    targets.get("none").patients().size(),
                    perSecond.get("none").size(),
                    none,
                    CONSENTS,
                    with,
                    100 * with / none);
        } finally {
            loading.shutdown();
            for (Future<ServerLauncher> launch : launches.values()) {
                try {
                    launch.get().close();
                } catch (ExecutionException notStarted) {
                    // nothing to stop
                }
            }
            modes.keySet().forEach(mode -> BenchmarkCommand.deleteRecursively(work.resolve("privacy-" + mode)));
        }
    }

    /** Synthea, eleven practitioners (the first is the clinician), then {@code consents} privacy consents. */
    private Target load(ServerLauncher server, int consents) throws Exception {
        FhirHttp admin = new FhirHttp(server.token("admin"));
        BenchmarkCommand.postAll(admin, server, bundles);
        List<String> patients = new ArrayList<>();
        for (JsonNode entry : admin.getJson(server.baseUrl() + "/Patient?_count=1000&_elements=id")
                .path("entry")) {
            patients.add("Patient/" + entry.path("resource").path("id").asText());
        }
        List<String> practitioners = new ArrayList<>();
        for (int i = 0; i <= OTHER_PRACTITIONERS; i++) {
            JsonNode created = JSON.readTree(admin.post(
                            server.baseUrl() + "/Practitioner",
                            FHIR_JSON,
                            "{\"resourceType\":\"Practitioner\",\"active\":true}".getBytes(StandardCharsets.UTF_8))
                    .body());
            practitioners.add("Practitioner/" + created.path("id").asText());
        }
        for (int first = 0; first < consents; first += 100) {
            int status = admin.post(
                            server.baseUrl(),
                            FHIR_JSON,
                            denies(patients, practitioners, first, Math.min(100, consents - first)))
                    .statusCode();
            if (status != 200) {
                throw new IllegalStateException("privacy consents: HTTP " + status);
            }
        }
        return new Target(
                server, new FhirHttp(server.token("clinician", "--fhir-user", practitioners.get(0))), patients);
    }

    /** A transaction of {@code count} opt-out denies, each naming one of the other practitioners. */
    private static byte[] denies(List<String> patients, List<String> practitioners, int first, int count) {
        StringBuilder json = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
        for (int i = first; i < first + count; i++) {
            String patient = patients.get(i % patients.size());
            String actor = practitioners.get(1 + i % OTHER_PRACTITIONERS);
            json.append(i > first ? "," : "")
                    .append("{\"resource\":{\"resourceType\":\"Consent\",\"status\":\"active\",")
                    .append(
                            "\"scope\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/consentscope\",")
                    .append(
                            "\"code\":\"patient-privacy\"}]},\"category\":[{\"coding\":[{\"system\":\"http://loinc.org\",")
                    .append("\"code\":\"59284-0\"}]}],\"patient\":{\"reference\":\"")
                    .append(patient)
                    .append("\"},")
                    .append("\"policy\":[{\"uri\":\"http://hl7.org/fhir/ConsentPolicy/opt-out\"}],")
                    .append("\"provision\":{\"type\":\"deny\",\"actor\":[{\"role\":{\"coding\":[{\"system\":")
                    .append("\"http://terminology.hl7.org/CodeSystem/v3-ParticipationType\",\"code\":\"PRCP\"}]},")
                    .append("\"reference\":{\"reference\":\"")
                    .append(actor)
                    .append("\"}}]}},")
                    .append("\"request\":{\"method\":\"POST\",\"url\":\"Consent\"}}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Waits until the server's background work on the load (anchoring, archiving) is done. */
    private static void settle(ServerLauncher server) throws Exception {
        FhirHttp admin = new FhirHttp(server.token("admin"));
        BenchmarkCommand.awaitAnchored(admin, server, Duration.ofMinutes(15));
        long versions =
                BenchmarkCommand.health(admin, server).path("logEntries").asLong();
        BenchmarkCommand.awaitArchived(admin, server, versions, System.nanoTime(), Duration.ofMinutes(15));
    }

    /** One search per patient; searches per second. */
    private static double searchPass(Target target) throws Exception {
        long started = System.nanoTime();
        for (String patient : target.patients()) {
            int status = target.clinician()
                    .getStatus(target.server().baseUrl() + "/Observation?patient=" + patient + "&_count=50");
            if (status != 200) {
                throw new IllegalStateException("clinician search: HTTP " + status);
            }
        }
        return target.patients().size() / ((System.nanoTime() - started) / 1e9);
    }

    private static String format(List<Double> values) {
        return values.stream().map(v -> String.format("%.1f", v)).toList().toString();
    }
}
