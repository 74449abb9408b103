package org.fhiranchor.anchor.verifier;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The verifier's commands and options, declared once for picocli: it parses them (unknown options, a value
 * given twice or missing are usage errors), writes {@code --help} and the shell completion script. What the
 * options mean together (which combinations are allowed, what a value must look like) stays in
 * {@link VerifierCli}, which reads the parsed values by option name.
 */
final class VerifierCommands {

    static final String NAME = "fhir-anchor-verifier";
    static final String COMPLETION = "generate-completion";

    private static final String NOTES = """

            The contract and the RPC endpoint come only from these arguments, never from a server's answer: a
            server that named the contract could name one it controls.
            `<command> --help` shows a command's options. `generate-completion` prints a bash/zsh completion
            script for the command name fhir-anchor-verifier (an alias or wrapper of `java -jar ...`):
              alias fhir-anchor-verifier='java -jar fhir-anchor-verifier.jar'
              source <(fhir-anchor-verifier generate-completion)
            """;

    private static final String EXIT_CODES = """
            exit codes: 0 verified, 1 not verified, 2 usage or refused configuration, 3 chain or FHIR server
            unavailable, 4 pending (not anchored yet, or the research export still running)
            """;

    private static final Map<String, String[]> OPTIONS = new LinkedHashMap<>();

    static {
        option("--rpc", "URL", "JSON-RPC endpoint of the chain (http or https)");
        option("--contract", "0xADDRESS", "the FhirAnchor contract (or --deployment)");
        option(
                "--deployment",
                "FILE",
                "the operator's fhir-anchor-deployment/1 statement: contract and chain are "
                        + "taken from it after it is checked against the chain (signer, deployer, code hash)");
        option("--chain-id", "N", "the chain id the node must be on");
        option("--fhir-base", "URL", "the FHIR server's base URL");
        option("--ref", "Type/id[/_history/vid]", "one version to prove (Type/id: the latest)");
        option(
                "--refs",
                "REF,REF,...",
                "up to 1000 versions proved with one multi-version proof (one $verify call, " + "one chain read)");
        option("--resource", "FILE", "the resource's JSON, verified offline with --proof");
        option(
                "--proof",
                "FILE",
                "fhir-anchor-proof/1 JSON, the server's $verify Parameters, or a "
                        + "c2sp.org/tlog-proof@v1 (needs --log-key); alone it verifies a delete (no body)");
        option("--log-key", "VKEY", "the log's note verifier key (origin+keyid+base64), from the server operator");
        option("--token", "TOKEN", "bearer token for the FHIR server (default: $FHIR_ANCHOR_TOKEN)");
        option("--timeout", "SECONDS", "per request (default 30)");
        option("--type", "T", "walk only this resource type");
        option("--max", "N", "walk at most N versions");
        option("--status-url", "URL", "the Content-Location of the $research-export answer");
        option("--dir", "DIR", "the export's directory");
        option("--key", "FILE", "the recipient's private key (from research-keygen): decrypts and checks content");
        option("--name", "NAME", "the witness's name (its note key name)");
        option("--key-file", "FILE", "the witness's Ed25519 key, created owner-only on first start");
        option("--state", "FILE", "latest cosigned size and root per log");
        option("--log", "VKEY[,VKEY...]", "note verifier keys of the logs to witness");
        option("--listen", "HOST:PORT", "where to listen (default 127.0.0.1:0)");
    }

    private VerifierCommands() {}

    private static void option(String name, String label, String description) {
        OPTIONS.put(name, new String[] {label, description});
    }

    /** A fresh command line: picocli keeps the values of one parse in it. */
    static CommandLine commandLine() {
        CommandSpec root = CommandSpec.create().name(NAME);
        root.addOption(help());
        usage(
                        root.usageMessage(),
                        "The auditor's command line: checks FHIR versions against the anchored roots on chain.")
                .footer(NOTES + "%n" + EXIT_CODES);
        CommandSpec verify = command(
                "verify",
                "Verify versions from a FHIR server, or a resource and proof from files.",
                "--rpc",
                "--contract",
                "--deployment",
                "--chain-id",
                "--fhir-base",
                "--ref",
                "--refs",
                "--resource",
                "--proof",
                "--log-key",
                "--token",
                "--timeout");
        verify.usageMessage()
                .customSynopsis(
                        NAME + " verify --rpc URL (--deployment FILE | --contract 0xADDRESS) [--chain-id N]",
                        "         (--fhir-base URL (--ref Type/id[/_history/vid] | --refs REF,REF,...)",
                        "          | --resource FILE --proof FILE | --proof FILE) [--log-key VKEY] [--token TOKEN] [--timeout SECONDS]");
        root.addSubcommand("verify", verify);
        root.addSubcommand(
                "walk",
                command(
                        "walk",
                        "Walk every version of a FHIR server (or one type) and check each.",
                        "--rpc",
                        "--contract",
                        "--deployment",
                        "--chain-id",
                        "--fhir-base",
                        "--type",
                        "--max",
                        "--token",
                        "--timeout"));
        root.addSubcommand(
                "research-keygen",
                command(
                        "research-keygen",
                        "Create a researcher's key pair: the private key into --out (owner-only), the public key on stdout.",
                        "--out=FILE"));
        root.addSubcommand(
                "research-fetch",
                command(
                        "research-fetch",
                        "Download a finished research export.",
                        "--status-url",
                        "--token",
                        "--dir",
                        "--timeout"));
        root.addSubcommand(
                "research-verify",
                command(
                        "research-verify",
                        "Check a downloaded research export against the chain; with --key also decrypt it.",
                        "--dir",
                        "--rpc",
                        "--contract",
                        "--deployment",
                        "--chain-id",
                        "--key",
                        "--out=DIR",
                        "--timeout"));
        root.addSubcommand(
                "witness",
                command(
                        "witness",
                        "Run a tlog-witness for other hospitals' logs until stopped.",
                        "--name",
                        "--key-file",
                        "--state",
                        "--log",
                        "--listen"));
        root.addSubcommand(COMPLETION, command(COMPLETION, "Print a bash/zsh completion script for this command."));
        CommandLine commandLine = new CommandLine(root);
        commandLine.setExpandAtFiles(false); // @file is a file name here, not a list of arguments
        return commandLine;
    }

    private static UsageMessageSpec usage(UsageMessageSpec usage, String description) {
        return usage.synopsisHeading("usage: ")
                .description(description)
                .optionListHeading("%noptions:%n")
                .commandListHeading("%ncommands:%n")
                .width(110)
                .sortSynopsis(false)
                .sortOptions(false);
    }

    /** Option names as in {@link #OPTIONS}; {@code --out=LABEL} gives the option a command-specific label. */
    private static CommandSpec command(String name, String description, String... options) {
        CommandSpec spec = CommandSpec.create().name(name);
        usage(spec.usageMessage(), description);
        for (String option : options) {
            String[] nameAndLabel = option.split("=", 2);
            String[] known = OPTIONS.get(nameAndLabel[0]);
            String label = nameAndLabel.length > 1 ? nameAndLabel[1] : known[0];
            String text = known != null
                    ? known[1]
                    : label.equals("FILE")
                            ? "the private key file to create"
                            : "write the decrypted files there (needs --key)";
            spec.addOption(OptionSpec.builder(nameAndLabel[0])
                    .paramLabel(label)
                    .type(String.class)
                    .arity("1")
                    .description(text)
                    .build());
        }
        spec.addOption(help());
        return spec;
    }

    private static OptionSpec help() {
        return OptionSpec.builder("-h", "--help")
                .usageHelp(true)
                .description("show this help and exit")
                .build();
    }

    /** The values given, by long option name. */
    static Map<String, String> options(CommandLine.ParseResult command) {
        Map<String, String> values = new LinkedHashMap<>();
        for (OptionSpec option : command.matchedOptions()) {
            if (!option.usageHelp()) {
                values.put(option.longestName(), command.matchedOptionValue(option.longestName(), null));
            }
        }
        return values;
    }

    /** picocli's parse errors in the verifier's words (scripts and tests match on them). */
    static String message(CommandLine.ParameterException e) {
        String command = e.getCommandLine().getCommandName();
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched
                && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().get(0);
            if (e.getCommandLine().getParent() == null) {
                return "unknown command \"" + first + "\"";
            }
            return "unknown option \"" + first.split("=", 2)[0] + "\" for " + command;
        }
        if (e instanceof CommandLine.OverwrittenOptionException overwritten
                && overwritten.getOverwritten() instanceof OptionSpec option) {
            return option.longestName() + " given twice";
        }
        if (e instanceof CommandLine.MissingParameterException missing
                && !missing.getMissing().isEmpty()
                && missing.getMissing().get(0) instanceof OptionSpec option) {
            return option.longestName() + " needs a value";
        }
        return e.getMessage();
    }
}
