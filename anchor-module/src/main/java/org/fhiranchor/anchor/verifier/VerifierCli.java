package org.fhiranchor.anchor.verifier;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fhiranchor.anchor.canonical.JsonFormatException;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.canonical.JsonString;
import org.fhiranchor.anchor.chain.ChainCheckpointSource;
import org.fhiranchor.anchor.chain.ContractMismatchException;
import org.fhiranchor.anchor.chain.DeploymentCheck;
import org.fhiranchor.anchor.chain.DeploymentStatement;
import org.fhiranchor.anchor.chain.LedgerException;
import org.fhiranchor.anchor.chain.LedgerSettings;
import org.fhiranchor.anchor.chain.OnChainCheckpoint;
import org.fhiranchor.anchor.chain.Web3jLedger;
import org.fhiranchor.anchor.export.RecipientBox;
import org.fhiranchor.anchor.export.ResearchExportFetcher;
import org.fhiranchor.anchor.export.ResearchExportVerifier;
import org.fhiranchor.anchor.files.OwnerOnlyFiles;
import org.fhiranchor.anchor.proof.AnchorProof;
import org.fhiranchor.anchor.proof.BatchedProof;
import org.fhiranchor.anchor.proof.BatchedProofJson;
import org.fhiranchor.anchor.proof.ProofJson;
import org.fhiranchor.anchor.proof.TlogProofVerifier;
import org.fhiranchor.anchor.proof.VerificationResult;
import org.fhiranchor.anchor.tlog.NoteFormatException;
import org.fhiranchor.anchor.tlog.NoteVerifier;
import org.fhiranchor.anchor.verifier.VerifyParameters.NoProofException;
import org.fhiranchor.anchor.verifier.VersionCheck.Outcome;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import picocli.CommandLine;

/**
 * {@code java -jar fhir-anchor-verifier.jar verify|walk|research-keygen|research-fetch|research-verify|witness ...}: the auditor's command line. The contract and
 * the RPC endpoint come only from these arguments, never from a server's answer, because a server that
 * named the contract could name one it controls and anchor whatever it likes there.
 */
public final class VerifierCli {

    /** Every version checked passed all five checks. */
    public static final int EXIT_VERIFIED = 0;
    /** A check failed: altered content, a wrong or unanchored proof, a server that refuses to prove. */
    public static final int EXIT_NOT_VERIFIED = 1;
    /** Wrong arguments, or a configuration the verifier refuses (chain id, not a FhirAnchor contract). */
    public static final int EXIT_USAGE = 2;
    /** The chain or the FHIR server could not be read: nothing was proven either way. */
    public static final int EXIT_UNAVAILABLE = 3;
    /** The server says the version is not anchored yet (and nothing failed): ask again later. */
    public static final int EXIT_PENDING = 4;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    private VerifierCli(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static void main(String[] args) {
        // web3j logs through SLF4J and the jar ships no binding: keep SLF4J's notice about that off the
        // auditor's terminal, real errors still show.
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    /** Runs one command and returns its exit code; never calls System.exit, so tests can call it. */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return new VerifierCli(out, err, env).run(args);
    }

    private int run(String[] args) {
        CommandLine commandLine = VerifierCommands.commandLine();
        if (args.length == 0) {
            err.print(commandLine.getUsageMessage());
            return EXIT_USAGE;
        }
        if (args[0].equals("help")) {
            CommandLine topic = args.length > 1 ? commandLine.getSubcommands().get(args[1]) : null;
            out.print((topic == null ? commandLine : topic).getUsageMessage());
            return EXIT_VERIFIED;
        }
        CommandLine.ParseResult parsed;
        try {
            parsed = commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("error: " + VerifierCommands.message(e));
            err.print(e.getCommandLine().getUsageMessage());
            return EXIT_USAGE;
        }
        CommandLine.ParseResult sub = parsed.subcommand();
        if (sub == null) {
            (parsed.isUsageHelpRequested() ? out : err).print(commandLine.getUsageMessage());
            return parsed.isUsageHelpRequested() ? EXIT_VERIFIED : EXIT_USAGE;
        }
        if (sub.isUsageHelpRequested()) {
            out.print(sub.commandSpec().commandLine().getUsageMessage());
            return EXIT_VERIFIED;
        }
        String command = sub.commandSpec().name();
        if (command.equals(VerifierCommands.COMPLETION)) {
            out.print(picocli.AutoComplete.bash(VerifierCommands.NAME, commandLine));
            return EXIT_VERIFIED;
        }
        Map<String, String> options = VerifierCommands.options(sub);
        if (command.equals("witness")) {
            return witness(options, sub.commandSpec().commandLine());
        }
        try {
            Duration timeout = Duration.ofSeconds(positive(options, "--timeout", 30));
            checkCombination(command, options);
            if (command.equals("research-keygen")) {
                return researchKeygen(options);
            }
            if (command.equals("research-fetch")) {
                return researchFetch(options, timeout);
            }
            byte[] researchKey = command.equals("research-verify") ? researchKey(options) : null;
            try (ChainConnection chain = ChainConnection.open(
                    required(options, "--rpc"),
                    pinnedDeployment(options),
                    options.get("--contract"),
                    optionalLong(options, "--chain-id"),
                    timeout)) {
                return switch (command) {
                    case "verify" -> verify(options, chain, timeout);
                    case "walk" -> walk(options, chain, timeout);
                    default -> researchVerify(options, chain, researchKey);
                };
            }
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.print(sub.commandSpec().commandLine().getUsageMessage());
            return EXIT_USAGE;
        } catch (RefusedException e) {
            out.println("NOT VERIFIED: " + e.getMessage());
            return EXIT_USAGE;
        } catch (ChainUnavailableException e) {
            out.println("NOT VERIFIED: CHECKPOINT_UNAVAILABLE: " + e.getMessage());
            return EXIT_UNAVAILABLE;
        }
    }

    // ---- witness -----------------------------------------------------------------------------

    private int witness(Map<String, String> options, CommandLine usage) {
        try {
            WitnessCommand.start(options, out);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.print(usage.getUsageMessage());
            return EXIT_USAGE;
        } catch (IOException e) {
            err.println("error: cannot start the witness: " + e.getMessage());
            return EXIT_UNAVAILABLE;
        }
        try {
            Thread.currentThread().join(); // until the process is stopped
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return EXIT_VERIFIED;
    }

    // ---- verify ------------------------------------------------------------------------------

    private int verify(Map<String, String> options, ChainConnection chain, Duration timeout) {
        Verifier verifier = new Verifier(chain.checkpoints());
        if (options.containsKey("--ref")) {
            FhirSource fhir = fhirSource(options, timeout);
            return print(verifier.check(fhir, checkedRef(options.get("--ref"))), chain);
        }
        if (options.containsKey("--refs")) {
            FhirSource fhir = fhirSource(options, timeout);
            WalkReport report = verifier.checkMany(fhir, refsList(options.get("--refs")));
            report.checks()
                    .forEach(check ->
                            out.println((check.verified() ? "VERIFIED " : "NOT VERIFIED: " + check.code() + " ")
                                    + check.ref()
                                    + (check.verified() ? "" : ": " + check.detail())));
            return summary(
                    report,
                    "proved " + report.total() + " versions of " + fhir.baseUrl() + " with one proof against contract "
                            + chain.checkpoints().contractAddress() + " on chain " + chain.chainId() + ":");
        }
        byte[] proofFile = readFile(required(options, "--proof"));
        byte[] resource = options.containsKey("--resource") ? readFile(options.get("--resource")) : null;
        if (TlogProofVerifier.isTlogProof(proofFile)) {
            return verifyTlogProof(proofFile, resource, logKey(options), chain);
        }
        byte[] proofJson;
        try {
            proofJson =
                    isParameters(proofFile) ? VerifyParameters.parse(proofFile).proofJson() : proofFile;
        } catch (NoProofException e) {
            boolean pending = e.serverStatus().equals(Optional.of("pending"));
            out.println("NOT VERIFIED: " + (pending ? VersionCheck.PENDING : VersionCheck.NO_PROOF) + ": "
                    + e.getMessage());
            return pending ? EXIT_PENDING : EXIT_NOT_VERIFIED;
        }
        VerificationResult result = verifier.verify(resource, proofJson);
        Optional<AnchorProof> proof = Optional.empty();
        Optional<BatchedProof> batched = Optional.empty();
        try {
            if (BatchedProof.FORMAT.equals(BatchedProofJson.formatOf(proofJson))) {
                batched = Optional.of(BatchedProofJson.read(proofJson));
                proof = Optional.of(batched.get().batchProof());
            } else {
                proof = Optional.of(ProofJson.read(proofJson));
            }
        } catch (RuntimeException e) {
            // The result already says MALFORMED_PROOF and why.
        }
        String ref = batched.map(b -> b.leaf().resource().toString())
                .orElse(proof.map(p -> p.leaf().resource().toString()).orElse(options.get("--proof")));
        Outcome outcome = switch (result.status()) {
            case VERIFIED -> Outcome.VERIFIED;
            case CHECKPOINT_UNAVAILABLE -> Outcome.UNAVAILABLE;
            default -> Outcome.FAILED;
        };
        return print(new VersionCheck(ref, outcome, result.status().name(), result.detail(), proof, batched), chain);
    }

    private int verifyTlogProof(byte[] proofFile, byte[] resource, NoteVerifier logKey, ChainConnection chain) {
        VerificationResult result = TlogProofVerifier.verify(resource, proofFile, logKey, chain.checkpoints());
        if (!result.verified()) {
            out.println("NOT VERIFIED: " + result.status().name() + ": " + result.detail());
            return result.status() == VerificationResult.Status.CHECKPOINT_UNAVAILABLE
                    ? EXIT_UNAVAILABLE
                    : EXIT_NOT_VERIFIED;
        }
        out.println("VERIFIED (tlog-proof signed by " + logKey.name() + ") " + result.detail());
        out.println("  anchored on chain " + chain.chainId() + ", contract "
                + chain.checkpoints().contractAddress());
        return EXIT_VERIFIED;
    }

    private static NoteVerifier logKey(Map<String, String> options) {
        try {
            return NoteVerifier.parse(required(options, "--log-key"));
        } catch (NoteFormatException e) {
            throw new UsageException("--log-key: " + e.getMessage());
        }
    }

    private int print(VersionCheck check, ChainConnection chain) {
        if (!check.verified()) {
            out.println("NOT VERIFIED: " + check.code() + ": " + check.detail());
            return exitCode(check.outcome());
        }
        AnchorProof proof = check.proof().orElseThrow();
        if (check.batched().isPresent()) {
            // A batch member (docs/verification.md 4.2): its own claims, then the batch record's leaf.
            BatchedProof member = check.batched().get();
            out.println("VERIFIED " + member.leaf().operation().jsonName() + " of "
                    + member.leaf().resource());
            out.println(
                    "  content hash  " + HexFormat.of().formatHex(member.leaf().contentHash()));
            out.println("  batch member  " + member.batchIndex() + " of " + member.batchSize() + " sealed by "
                    + proof.leaf().resource());
        } else {
            out.println("VERIFIED " + proof.leaf().operation().jsonName() + " of "
                    + proof.leaf().resource());
            out.println(
                    "  content hash  " + HexFormat.of().formatHex(proof.leaf().contentHash()));
        }
        out.println("  leaf          " + proof.leafIndex() + " of tree size " + proof.treeSize());
        out.println("  root          " + HexFormat.of().formatHex(proof.rootHash()));
        // The block comes from the contract the auditor named, not from the proof's anchor member.
        Optional<OnChainCheckpoint> checkpoint = chain.checkpoints().checkpoint(proof.treeSize());
        checkpoint.ifPresent(c -> out.println("  anchored      block " + c.blockNumber() + " ("
                + Instant.ofEpochSecond(c.timestamp()) + ") on chain " + chain.chainId() + ", contract "
                + chain.checkpoints().contractAddress()));
        return EXIT_VERIFIED;
    }

    // ---- walk --------------------------------------------------------------------------------

    private int walk(Map<String, String> options, ChainConnection chain, Duration timeout) {
        FhirSource fhir = fhirSource(options, timeout);
        long max = positive(options, "--max", 0);
        String type = options.get("--type");
        int[] seen = {0};
        WalkReport report = new Verifier(chain.checkpoints()).walk(fhir, type, max, check -> {
            seen[0]++;
            err.println("[" + seen[0] + "] " + check.code() + " " + check.ref()
                    + (check.verified() ? "" : ": " + check.detail()));
        });

        return summary(
                report,
                "walked " + report.total() + " versions of " + fhir.baseUrl() + (type == null ? "" : " (" + type + ")")
                        + " against contract " + chain.checkpoints().contractAddress() + " on chain " + chain.chainId()
                        + ":");
    }

    /** Counts by outcome and code, every failure, and the exit code: failed, else unavailable, else pending, else verified. */
    private int summary(WalkReport report, String heading) {
        Map<Outcome, Long> counts = report.countsByOutcome();
        out.println(heading);
        out.println("  verified " + counts.get(Outcome.VERIFIED) + ", failed " + counts.get(Outcome.FAILED)
                + ", pending " + counts.get(Outcome.PENDING) + ", unavailable " + counts.get(Outcome.UNAVAILABLE));
        report.countsByCode().forEach((code, n) -> out.println("  " + code + " " + n));
        for (VersionCheck failure : report.failures()) {
            out.println(failure.outcome() + " " + failure.ref() + ": " + failure.code() + ": " + failure.detail());
        }
        if (counts.get(Outcome.FAILED) > 0) {
            return EXIT_NOT_VERIFIED;
        }
        if (counts.get(Outcome.UNAVAILABLE) > 0) {
            return EXIT_UNAVAILABLE;
        }
        return counts.get(Outcome.PENDING) > 0 ? EXIT_PENDING : EXIT_VERIFIED;
    }

    // ---- research exports ----------------------------------------------------------------------

    private int researchKeygen(Map<String, String> options) {
        Path file = Path.of(required(options, "--out"));
        RecipientBox.KeyPair keys = RecipientBox.generateKeyPair();
        try {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new UsageException(file + " exists: refusing to overwrite a key");
            }
            OwnerOnlyFiles.createNew(file, (keys.privateKeyText() + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (FileAlreadyExistsException e) {
            throw new UsageException(file + " exists: refusing to overwrite a key");
        } catch (IOException e) {
            throw new UsageException("cannot write " + file + ": " + e.getMessage());
        }
        err.println("private key written to " + file + " (owner-only); keep it secret. Public key:");
        out.println(keys.publicKeyText());
        return EXIT_VERIFIED;
    }

    private int researchFetch(Map<String, String> options, Duration timeout) {
        URI statusUrl;
        try {
            statusUrl = new URI(required(options, "--status-url"));
        } catch (URISyntaxException e) {
            throw new UsageException("--status-url is not a URL: " + e.getMessage());
        }
        if (!"http".equals(statusUrl.getScheme()) && !"https".equals(statusUrl.getScheme())) {
            throw new UsageException("--status-url must be an http or https URL");
        }
        String token = options.containsKey("--token") ? options.get("--token") : env.get(FhirSource.TOKEN_ENV);
        Path dir = Path.of(required(options, "--dir"));
        ResearchExportFetcher.Result result = new ResearchExportFetcher(token, timeout).fetch(statusUrl, dir);
        if (result instanceof ResearchExportFetcher.Pending pending) {
            out.println("PENDING: " + pending.progress());
            return EXIT_PENDING;
        }
        if (result instanceof ResearchExportFetcher.Failed failed) {
            out.println("NOT FETCHED: " + failed.message());
            return failed.transientFailure() ? EXIT_UNAVAILABLE : EXIT_NOT_VERIFIED;
        }
        ResearchExportFetcher.Fetched fetched = (ResearchExportFetcher.Fetched) result;
        fetched.saved().forEach(p -> err.println("saved " + p));
        out.println("FETCHED export " + fetched.manifest().exportId() + ": "
                + fetched.saved().size() + " files in " + dir + "; now run research-verify on it");
        return EXIT_VERIFIED;
    }

    private static byte[] researchKey(Map<String, String> options) {
        if (!options.containsKey("--key")) {
            if (options.containsKey("--out")) {
                throw new UsageException("--out needs --key: only the recipient's key decrypts the files");
            }
            return null;
        }
        try {
            return RecipientBox.decodePrivateKey(new String(readFile(options.get("--key")), StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--key " + options.get("--key") + ": " + e.getMessage());
        }
    }

    private int researchVerify(Map<String, String> options, ChainConnection chain, byte[] key) {
        Path dir = Path.of(required(options, "--dir"));
        Path outDir = options.containsKey("--out") ? Path.of(options.get("--out")) : null;
        ResearchExportVerifier.Report report = new ResearchExportVerifier(chain.ledger())
                .verify(
                        dir,
                        key,
                        outDir,
                        check -> out.println(
                                check.number() + " " + check.name() + ": " + check.status() + " " + check.detail()));
        Optional<ResearchExportVerifier.Check> problem = report.firstProblem();
        if (problem.isPresent()) {
            ResearchExportVerifier.Check c = problem.get();
            out.println("NOT VERIFIED: check " + c.number() + " (" + c.name() + "): " + c.detail());
            return c.status() == ResearchExportVerifier.Status.UNAVAILABLE ? EXIT_UNAVAILABLE : EXIT_NOT_VERIFIED;
        }
        out.println(
                report.complete()
                        ? "VERIFIED" + (outDir == null ? "" : " (decrypted files in " + outDir + ")")
                        : "VERIFIED (checks 1-3 only: the decrypted content, sources and consents need --key)");
        return EXIT_VERIFIED;
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** Argument mistakes are reported before the chain is contacted, so they never look like an outage. */
    private static void checkCombination(String command, Map<String, String> options) {
        switch (command) {
            case "research-keygen" -> {
                required(options, "--out");
                return;
            }
            case "research-fetch" -> {
                required(options, "--status-url");
                required(options, "--dir");
                return;
            }
            case "research-verify" -> {
                required(options, "--dir");
                required(options, "--rpc");
                return;
            }
            default -> {}
        }
        if (command.equals("walk")) {
            required(options, "--fhir-base");
            positive(options, "--max", 0);
            String type = options.get("--type");
            if (type != null && !type.matches("[A-Z][A-Za-z0-9]{0,63}")) {
                throw new UsageException("--type must be a FHIR resource type, got \"" + type + "\"");
            }
            return;
        }
        boolean fromServer =
                options.containsKey("--ref") || options.containsKey("--refs") || options.containsKey("--fhir-base");
        boolean fromFiles = options.containsKey("--resource") || options.containsKey("--proof");
        if (fromServer == fromFiles) {
            throw new UsageException(
                    "give either --fhir-base and --ref, or --resource and --proof (or --proof alone for a delete)");
        }
        if (fromServer) {
            required(options, "--fhir-base");
            if (options.containsKey("--ref") == options.containsKey("--refs")) {
                throw new UsageException("give --ref for one version or --refs for many, not both");
            }
            if (options.containsKey("--ref")) {
                checkedRef(options.get("--ref"));
            } else {
                refsList(options.get("--refs"));
            }
        } else {
            required(options, "--proof");
        }
    }

    /** Comma-separated Type/id or Type/id/_history/vid, 1 to 1000 of them. */
    private static List<String> refsList(String value) {
        List<String> refs = new java.util.ArrayList<>();
        for (String ref : value.split(",")) {
            if (!ref.isBlank()) {
                refs.add(checkedRef(ref.trim()));
            }
        }
        if (refs.isEmpty() || refs.size() > 1000) {
            throw new UsageException("--refs takes 1 to 1000 references, got " + refs.size());
        }
        return refs;
    }

    private static int exitCode(Outcome outcome) {
        return switch (outcome) {
            case VERIFIED -> EXIT_VERIFIED;
            case FAILED -> EXIT_NOT_VERIFIED;
            case UNAVAILABLE -> EXIT_UNAVAILABLE;
            case PENDING -> EXIT_PENDING;
        };
    }

    private FhirSource fhirSource(Map<String, String> options, Duration timeout) {
        String token = options.containsKey("--token") ? options.get("--token") : env.get(FhirSource.TOKEN_ENV);
        try {
            return new FhirSource(required(options, "--fhir-base"), token, timeout);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static String checkedRef(String ref) {
        if (!ref.matches("[A-Z][A-Za-z0-9]{0,63}/[A-Za-z0-9\\-.]{1,64}(/_history/[1-9][0-9]{0,18})?")) {
            throw new UsageException("--ref must be Type/id or Type/id/_history/vid, got \"" + ref + "\"");
        }
        return ref;
    }

    private static boolean isParameters(byte[] json) {
        try {
            JsonObject object = JsonParser.parseObject(json);
            return object.path("resourceType").equals(Optional.of(new JsonString("Parameters")));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static byte[] readFile(String name) {
        try {
            return Files.readAllBytes(Path.of(name));
        } catch (IOException e) {
            throw new UsageException("cannot read " + name + ": " + e.getMessage());
        }
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new UsageException(name + " is required");
        }
        return value;
    }

    private static Optional<Long> optionalLong(Map<String, String> options, String name) {
        return options.containsKey(name) ? Optional.of(positive(options, name, 0)) : Optional.empty();
    }

    private static long positive(Map<String, String> options, String name, long defaultValue) {
        String value = options.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed <= 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a positive integer, got \"" + value + "\"");
        }
    }

    /** The operator's deployment statement named by {@code --deployment}, read but not yet checked. */
    private static Optional<DeploymentStatement> pinnedDeployment(Map<String, String> options) {
        String file = options.get("--deployment");
        if (file == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(DeploymentStatement.parse(Files.readAllBytes(Path.of(file))));
        } catch (IOException e) {
            throw new UsageException("cannot read --deployment " + file + ": " + e.getMessage());
        } catch (JsonFormatException e) {
            throw new UsageException(
                    "--deployment " + file + " is not a " + DeploymentStatement.FORMAT + " file: " + e.getMessage());
        }
    }

    /** The read-only ledger on the auditor's contract, checked against the expected chain id. */
    private record ChainConnection(Web3jLedger ledger, ChainCheckpointSource checkpoints) implements AutoCloseable {

        static ChainConnection open(
                String rpc,
                Optional<DeploymentStatement> deployment,
                String contractOption,
                Optional<Long> chainIdOption,
                Duration timeout) {
            if (deployment.isEmpty() && contractOption == null) {
                throw new UsageException("--deployment FILE or --contract 0xADDRESS is required");
            }
            String contract = deployment.map(DeploymentStatement::contract).orElse(contractOption);
            Optional<Long> expectedChainId =
                    deployment.isPresent() ? Optional.of(deployment.get().chainId()) : chainIdOption;
            if (deployment.isPresent() && contractOption != null && !contractOption.equalsIgnoreCase(contract)) {
                throw new RefusedException(
                        "refusing: --contract " + contractOption + " is not the pinned deployment's " + contract);
            }
            if (deployment.isPresent() && chainIdOption.isPresent() && !chainIdOption.equals(expectedChainId)) {
                throw new RefusedException("refusing: --chain-id " + chainIdOption.get()
                        + " is not the pinned deployment's " + expectedChainId.get());
            }
            if (!contract.matches("0x[0-9a-fA-F]{40}")) {
                throw new UsageException("--contract must be 0x followed by 40 hex digits, got \"" + contract + "\"");
            }
            if (!rpc.startsWith("http://") && !rpc.startsWith("https://")) {
                throw new UsageException("--rpc must be an http or https URL, got \"" + rpc + "\"");
            }
            if (deployment.isPresent()) {
                checkDeployment(rpc, deployment.get(), timeout);
            }
            Web3jLedger ledger;
            try {
                // readOnly also checks that the code at the address is exactly FhirAnchor's runtime bytecode.
                ledger = Web3jLedger.readOnly(LedgerSettings.forUrl(rpc).withReceiptTimeout(timeout), contract);
            } catch (ContractMismatchException e) {
                throw new RefusedException("refusing contract " + contract + ": " + e.getMessage());
            } catch (LedgerException e) {
                throw new ChainUnavailableException("cannot read the chain at " + rpc + ": " + e.getMessage());
            }
            if (expectedChainId.isPresent() && expectedChainId.get() != ledger.chainId()) {
                ledger.close();
                throw new RefusedException("refusing: the node at " + rpc + " is on chain " + ledger.chainId()
                        + ", not " + expectedChainId.get());
            }
            return new ChainConnection(ledger, new ChainCheckpointSource(ledger));
        }

        private static void checkDeployment(String rpc, DeploymentStatement statement, Duration timeout) {
            Web3j web3j = Web3j.build(new HttpService(rpc));
            try {
                DeploymentCheck.check(web3j, statement);
            } catch (ContractMismatchException e) {
                throw new RefusedException(e.getMessage());
            } catch (LedgerException e) {
                throw new ChainUnavailableException("cannot read the chain at " + rpc + ": " + e.getMessage());
            } finally {
                web3j.shutdown();
            }
        }

        long chainId() {
            return ledger.chainId();
        }

        @Override
        public void close() {
            ledger.close();
        }
    }

    private static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** A configuration the verifier will not work with (wrong chain, not our contract). */
    private static final class RefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RefusedException(String message) {
            super(message);
        }
    }

    private static final class ChainUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ChainUnavailableException(String message) {
            super(message);
        }
    }
}
