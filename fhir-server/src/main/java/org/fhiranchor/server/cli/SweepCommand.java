package org.fhiranchor.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.fhiranchor.server.command.CommandParsing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sweep --fhir-base URL [--page N]}: re-hashes every stored version against the log through
 * the server's {@code $audit-sweep}, a page at a time, with a progress bar on stderr, then every audit batch
 * member (the AuditEvents) against its member entry. Prints every
 * mismatch and every version missing from the log; exits 1 if there is any, 2 on errors.
 * The bearer token, if the server needs one, comes from FHIR_ANCHOR_TOKEN (or --token).
 */
@Command(name = "sweep", description = "Re-hash every stored version against the log ($audit-sweep), a page at a time. "
        + "Exit 0 when all match, 1 on any mismatch or unlogged version, 2 on errors.")
public final class SweepCommand {

    private final PrintStream out;
    private final PrintStream err;

    @Option(names = "--fhir-base", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080/fhir",
            description = "the server's FHIR base URL (default: ${DEFAULT-VALUE})")
    private String base;

    @Option(names = "--page", paramLabel = "N", defaultValue = "1000",
            description = "versions per $audit-sweep call (default: ${DEFAULT-VALUE})")
    private int page;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:FHIR_ANCHOR_TOKEN}",
            description = "bearer token (default: $FHIR_ANCHOR_TOKEN)")
    private String token;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    private boolean help;

    public SweepCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public int run(List<String> args) {
        OptionalInt stop = CommandParsing.parse(CommandParsing.commandLine(this), args.toArray(String[]::new), out, err);
        if (stop.isPresent()) {
            return stop.getAsInt();
        }
        FhirHttp http = new FhirHttp(token);
        List<String> problems = new ArrayList<>();
        long versions;
        long members;
        try {
            versions = sweepPages(http, "", problems);
            // The AuditEvents are batch members, not leaves (docs/verification.md 4.2): swept against their own entries.
            members = sweepPages(http, "&members=true", problems);
        } catch (IOException | RuntimeException e) {
            err.println();
            err.println("sweep failed: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 2;
        }
        problems.forEach(out::println);
        out.printf("checked %d versions and %d audit batch members: %d problem(s)%n", versions, members, problems.size());
        return problems.isEmpty() ? 0 : 1;
    }

    /** Every page of one sweep; returns how many were checked, adds each problem found. */
    private long sweepPages(FhirHttp http, String scope, List<String> problems) throws IOException, InterruptedException {
        long checked = 0;
        long cursor = 0;
        while (true) {
            JsonNode result = http.getJson(base + "/$audit-sweep?_count=" + page + "&cursor=" + cursor + scope);
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
                err.println();
                return checked;
            }
            cursor = next;
        }
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
}
