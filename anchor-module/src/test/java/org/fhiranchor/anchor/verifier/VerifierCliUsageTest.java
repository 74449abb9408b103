package org.fhiranchor.anchor.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Argument mistakes: exit 2 with a message, before any chain or server is contacted. */
class VerifierCliUsageTest {

    /** Nothing listens here; a usage error must be reported before trying to connect. */
    static final String RPC = "http://127.0.0.1:1";

    static final String CONTRACT = "0x" + "ab".repeat(20);

    @Test
    void noArgumentsPrintsUsage() {
        CliRun cli = CliRun.run();
        assertEquals(VerifierCli.EXIT_USAGE, cli.code());
        assertTrue(cli.err().contains("usage:"), cli.err());
        assertEquals(VerifierCli.EXIT_VERIFIED, CliRun.run("--help").code());
    }

    @Test
    void everyCommandHasGeneratedHelpAndACompletionScript() {
        CliRun help = CliRun.run("verify", "--help");
        assertEquals(VerifierCli.EXIT_VERIFIED, help.code(), help.toString());
        assertTrue(help.out().contains("--refs=REF,REF,...") && help.out().contains("--log-key=VKEY"), help.out());
        assertEquals(CliRun.run("help", "walk").out(), CliRun.run("walk", "-h").out());
        CliRun completion = CliRun.run("generate-completion");
        assertEquals(VerifierCli.EXIT_VERIFIED, completion.code(), completion.toString());
        assertTrue(
                completion.out().contains("complete -F")
                        && completion.out().contains("research-verify")
                        && completion.out().contains("--status-url"),
                completion.out());
    }

    @Test
    void mistakesAreUsageErrors() {
        assertUsage("unknown command", "check");
        assertUsage("--rpc is required", "verify", "--contract", CONTRACT, "--proof", "p.json");
        assertUsage("--contract must be 0x", "verify", "--rpc", RPC, "--contract", "0x12", "--proof", "p.json");
        assertUsage("either --fhir-base and --ref", "verify", "--rpc", RPC, "--contract", CONTRACT);
        assertUsage(
                "either --fhir-base and --ref",
                "verify",
                "--rpc",
                RPC,
                "--contract",
                CONTRACT,
                "--fhir-base",
                "http://127.0.0.1:1/fhir",
                "--ref",
                "Patient/1",
                "--proof",
                "p.json");
        assertUsage(
                "--ref must be",
                "verify",
                "--rpc",
                RPC,
                "--contract",
                CONTRACT,
                "--fhir-base",
                "http://127.0.0.1:1/fhir",
                "--ref",
                "../admin");
        assertUsage("unknown option \"--type\"", "verify", "--type", "Patient");
        assertUsage("--fhir-base is required", "walk", "--rpc", RPC, "--contract", CONTRACT);
        assertUsage(
                "--max must be a positive integer",
                "walk",
                "--rpc",
                RPC,
                "--contract",
                CONTRACT,
                "--fhir-base",
                "http://127.0.0.1:1/fhir",
                "--max",
                "0");
        assertUsage("--rpc given twice", "walk", "--rpc", RPC, "--rpc", RPC);
        assertUsage("--chain-id needs a value", "walk", "--chain-id");
    }

    @Test
    void unreachableChainIsUnavailableNotAUsageError() {
        CliRun cli = CliRun.run("verify", "--rpc", RPC, "--contract", CONTRACT, "--proof", "p.json");
        assertEquals(VerifierCli.EXIT_UNAVAILABLE, cli.code(), cli.toString());
        assertTrue(cli.out().startsWith("NOT VERIFIED: CHECKPOINT_UNAVAILABLE"), cli.out());
    }

    private static void assertUsage(String expected, String... args) {
        CliRun cli = CliRun.run(args);
        assertEquals(VerifierCli.EXIT_USAGE, cli.code(), cli.toString());
        assertTrue(cli.err().contains(expected), cli.err());
    }
}
