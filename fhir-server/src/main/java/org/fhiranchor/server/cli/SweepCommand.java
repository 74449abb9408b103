package org.fhiranchor.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code sweep --fhir-base URL [--page N]}: re-hashes every stored version against the log through
 * the server's {@code $audit-sweep}, a page at a time, with a progress bar on stderr. Prints every
 * mismatch and every version missing from the log; exits 1 if there is any, 2 on errors.
 * The bearer token, if the server needs one, comes from FHIR_ANCHOR_TOKEN (or --token).
 */
public final class SweepCommand {

    private final PrintStream out;
    private final PrintStream err;

    public SweepCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public int run(List<String> args) {
        String base = option(args, "--fhir-base", "http://127.0.0.1:8080/fhir");
        int page = Integer.parseInt(option(args, "--page", "1000"));
        String token = option(args, "--token", System.getenv("FHIR_ANCHOR_TOKEN"));
        FhirHttp http = new FhirHttp(token);
        List<String> problems = new ArrayList<>();
        long checked = 0;
        long cursor = 0;
        try {
            while (true) {
                JsonNode result = http.getJson(base + "/$audit-sweep?_count=" + page + "&cursor=" + cursor);
                long total = intParam(result, "total");
                checked += intParam(result, "checked");
                for (JsonNode p : result.path("parameter")) {
                    String name = p.path("name").asText();
                    if (name.equals("mismatch")) {
                        problems.add("MISMATCH " + part(p, "resource") + " logged " + part(p, "loggedContentHash")
                                + " stored " + part(p, "currentContentHash"));
                    } else if (name.equals("unlogged")) {
                        problems.add("UNLOGGED " + p.path("valueString").asText());
                    }
                }
                progress(checked, total);
                long next = intParam(result, "next");
                if (next <= 0) {
                    break;
                }
                cursor = next;
            }
        } catch (IOException | RuntimeException e) {
            err.println();
            err.println("sweep failed: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 2;
        }
        err.println();
        problems.forEach(out::println);
        out.printf("checked %d versions: %d problem(s)%n", checked, problems.size());
        return problems.isEmpty() ? 0 : 1;
    }

    private void progress(long checked, long total) {
        int width = 40;
        double share = total == 0 ? 1 : Math.min(1, (double) checked / total);
        int filled = (int) Math.round(share * width);
        err.printf("\r[%s%s] %3d%% %d/%d", "#".repeat(filled), " ".repeat(width - filled), Math.round(share * 100), checked, total);
        err.flush();
    }

    private static long intParam(JsonNode parameters, String name) {
        return FhirHttp.parameter(parameters, name).asLong(0);
    }

    private static String part(JsonNode parameter, String name) {
        for (JsonNode p : parameter.path("part")) {
            if (p.path("name").asText().equals(name)) {
                return p.path("valueString").asText();
            }
        }
        return "";
    }

    static String option(List<String> args, String name, String fallback) {
        int i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : fallback;
    }
}
