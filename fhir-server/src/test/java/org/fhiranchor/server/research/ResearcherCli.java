package org.fhiranchor.server.research;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.fhiranchor.anchor.verifier.VerifierCli;

/** The researcher's command line (fhir-anchor-verifier.jar), run in-process: exit code and what it printed. */
public record ResearcherCli(int exitCode, String out, String err) {

    public static ResearcherCli run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = VerifierCli.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of());
        return new ResearcherCli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code research-keygen --out file}: writes the private key, returns the public key it printed. */
    public static String keygen(java.nio.file.Path file) {
        ResearcherCli result = run("research-keygen", "--out", file.toString());
        if (result.exitCode() != 0) {
            throw new AssertionError("research-keygen failed: " + result);
        }
        return result.out()
                .lines()
                .map(String::trim)
                .filter(l -> l.matches("[A-Za-z0-9_-]{43}"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no public key printed: " + result));
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n" + out + err;
    }
}
