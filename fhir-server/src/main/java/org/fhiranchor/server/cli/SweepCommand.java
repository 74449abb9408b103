package org.fhiranchor.server.cli;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.fhiranchor.server.client.ServerRefusals;
import org.fhiranchor.server.command.ParsedCommand;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sweep --fhir-base URL [--page N]}: re-hashes every stored version against the log through
 * the server's {@code $audit-sweep}, a page at a time, with a progress bar on stderr, then every audit batch
 * member (the AuditEvents) against its member entry. Prints every
 * mismatch and every version missing from the log; exits 1 if there is any, 2 on errors (a refusal shown with the
 * server's OperationOutcome). It talks to the server through HAPI's generic client. The bearer token, if the server needs one, comes from FHIR_ANCHOR_TOKEN (or --token).
 */
@Command(
        name = "sweep",
        description = "Re-hash every stored version against the log ($audit-sweep), a page at a time. "
                + "Exit 0 when all match, 1 on any mismatch or unlogged version, 2 on errors.")
public final class SweepCommand extends ParsedCommand {

    @Option(
            names = "--fhir-base",
            paramLabel = "URL",
            defaultValue = "http://127.0.0.1:8080/fhir",
            description = "the server's FHIR base URL (default: ${DEFAULT-VALUE})")
    private String base;

    @Option(
            names = "--page",
            paramLabel = "N",
            defaultValue = "1000",
            description = "versions per $audit-sweep call (default: ${DEFAULT-VALUE})")
    private int page;

    @Mixin
    private BearerTokenOption token;

    public SweepCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    protected int runParsed() {
        IGenericClient client = token.connect(FhirContext.forR4(), base);
        List<String> problems = new ArrayList<>();
        long versions;
        long members;
        try {
            versions = sweepPages(client, false, problems);
            // The AuditEvents are batch members, not leaves (docs/verification.md 4.2): swept against their own
            // entries.
            members = sweepPages(client, true, problems);
        } catch (BaseServerResponseException e) {
            err.println();
            err.println("sweep failed: " + ServerRefusals.describe(e));
            return 2;
        } catch (RuntimeException e) {
            err.println();
            err.println("sweep failed: " + e.getMessage());
            return 2;
        }
        problems.forEach(out::println);
        out.printf(
                "checked %d versions and %d audit batch members: %d problem(s)%n", versions, members, problems.size());
        return problems.isEmpty() ? 0 : 1;
    }

    /** Every page of one sweep ({@code $audit-sweep}, over HTTP GET); returns how many were checked, adds each problem found. */
    private long sweepPages(IGenericClient client, boolean batchMembers, List<String> problems) {
        long checked = 0;
        long cursor = 0;
        while (true) {
            Parameters request = new Parameters();
            request.addParameter("_count", new IntegerType(page));
            request.addParameter("cursor", new IntegerType(Math.toIntExact(cursor)));
            if (batchMembers) {
                request.addParameter("members", new BooleanType(true));
            }
            Parameters result = client.operation()
                    .onServer()
                    .named("$audit-sweep")
                    .withParameters(request)
                    .useHttpGet()
                    .execute();
            long total = intParam(result, "total");
            checked += intParam(result, "checked");
            for (Parameters.ParametersParameterComponent p : result.getParameter()) {
                if (p.getName().equals("mismatch")) {
                    problems.add("MISMATCH " + part(p, "resource") + " logged " + part(p, "loggedContentHash")
                            + " stored " + part(p, "currentContentHash"));
                } else if (p.getName().equals("unlogged")) {
                    problems.add("UNLOGGED " + p.getValue().primitiveValue());
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
        err.printf(
                "\r[%s%s] %3d%% %d/%d",
                "#".repeat(filled), " ".repeat(width - filled), Math.round(share * 100), checked, total);
        err.flush();
    }

    private static long intParam(Parameters parameters, String name) {
        Parameters.ParametersParameterComponent p = parameters.getParameter(name);
        return p != null && p.getValue() instanceof IntegerType value && value.getValue() != null
                ? value.getValue()
                : 0;
    }

    private static String part(Parameters.ParametersParameterComponent parameter, String name) {
        for (Parameters.ParametersParameterComponent p : parameter.getPart()) {
            if (p.getName().equals(name)) {
                return p.getValue() == null ? "" : p.getValue().primitiveValue();
            }
        }
        return "";
    }
}
