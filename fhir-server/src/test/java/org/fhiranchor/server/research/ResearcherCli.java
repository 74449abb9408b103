package org.fhiranchor.server.research;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.fhiranchor.anchor.verifier.VerifierCli;

/** The researcher's command line (fhir-anchor-verifier.jar), run in-process: exit code and what it printed. */
record ResearcherCli(int exitCode, String out, String err) {

    static ResearcherCli run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = VerifierCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        return new ResearcherCli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n" + out + err;
    }
}
