package org.fhiranchor.anchor.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fhiranchor.anchor.canonical.ContentHash;
import org.fhiranchor.anchor.canonical.SharedData;
import org.fhiranchor.anchor.chain.AnchorReceipt;
import org.fhiranchor.anchor.chain.AnvilNode;
import org.fhiranchor.anchor.chain.ChainCheckpointSource;
import org.fhiranchor.anchor.chain.Deployment;
import org.fhiranchor.anchor.chain.DeploymentStatement;
import org.fhiranchor.anchor.chain.LedgerSettings;
import org.fhiranchor.anchor.chain.TestKeys;
import org.fhiranchor.anchor.chain.Web3jLedger;
import org.fhiranchor.anchor.log.InMemorySubtreeHashes;
import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.anchor.log.MerkleTree;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.anchor.proof.AnchorProof;
import org.fhiranchor.anchor.proof.ChainAnchor;
import org.fhiranchor.anchor.proof.ProofJson;
import org.fhiranchor.anchor.proof.VerificationResult;
import org.fhiranchor.anchor.proof.VerificationResult.Status;
import org.fhiranchor.anchor.verifier.VersionCheck.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * The verifier against a real Anvil and a fake FHIR server on loopback: a log of 24 versions of official
 * HL7 examples (one deleted), checkpoints at sizes 10 and 24 on the auditor's contract, and a server that
 * serves one version (Observation/decimal/_history/2) with one character changed ({@code 1.00} -> {@code 1.0}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VerifierEndToEndTest {

    static final String TAMPERED = "Observation/decimal/_history/2";
    static final String HONEST = "Patient/example/_history/2";
    static final long EARLY_CHECKPOINT = 10;

    private ExampleLog log;
    private long size;
    private AnvilNode node;
    private LedgerSettings settings;
    private String key;
    private String contract;
    private Deployment deployment;
    private AnchorReceipt fullCheckpoint;
    private ChainAnchor anchor;
    private byte[] altered;
    private FakeFhirServer fhir;
    private Web3jLedger reader;
    private Verifier verifier;
    private final List<AutoCloseable> closeLater = new ArrayList<>();

    @BeforeAll
    void setUp() throws Exception {
        log = new ExampleLog(SharedData.hl7R4Examples());
        size = log.size();
        node = AnvilNode.start(AnvilNode.Options.defaults().withChainId(31337));
        settings = LedgerSettings.forUrl(node.rpcUrl());
        key = TestKeys.fundedOn(node).privateKeyHex();
        deployment = Web3jLedger.deploy(settings, key);
        contract = deployment.contractAddress();
        try (Web3jLedger writer = Web3jLedger.connect(settings, contract, key)) {
            writer.submitCheckpoint(EARLY_CHECKPOINT, MerkleTree.root(EARLY_CHECKPOINT, log.tree), null);
            fullCheckpoint = writer.submitCheckpoint(size, log.tree.root(), null);
        }
        anchor = new ChainAnchor(31337, contract, fullCheckpoint.txHash(), fullCheckpoint.blockNumber());

        String honest = FakeFhirServer.utf8(log.version(TAMPERED).served());
        assertTrue(honest.contains("\"value\":1.00}"), "the example must carry the decimal 1.00");
        altered = honest.replaceFirst("\"value\":1\\.00}", "\"value\":1.0}").getBytes(StandardCharsets.UTF_8);
        assertEquals(honest.length() - 1, altered.length, "exactly one character removed");

        fhir = new FakeFhirServer();
        fhir.serve(log, ref -> log.proof(ref, size, anchor), contract);
        fhir.serveAltered(TAMPERED, altered);
        reader = Web3jLedger.readOnly(settings, contract);
        verifier = new Verifier(new ChainCheckpointSource(reader));
    }

    @AfterAll
    void tearDown() throws Exception {
        for (AutoCloseable c : closeLater) {
            c.close();
        }
        if (reader != null) {
            reader.close();
        }
        if (fhir != null) {
            fhir.close();
        }
        if (node != null) {
            node.stop();
        }
    }

    // ---- the trust root: a pinned deployment statement -------------------------------------------

    @Test
    void pinnedDeployment_givesTheContract_withoutAskingTheServer() throws Exception {
        Path file = writeStatement(
                "pinned",
                DeploymentStatement.signed(
                        "https://fhir.example.org/fhir", 31337, deployment, Credentials.create(key)));
        // The server names another contract in its answers: with the pinned statement, it does not matter.
        CliRun cli = CliRun.run(
                "verify",
                "--rpc",
                node.rpcUrl(),
                "--deployment",
                file.toString(),
                "--fhir-base",
                fhir.base(),
                "--ref",
                HONEST);
        assertEquals(VerifierCli.EXIT_VERIFIED, cli.code(), cli.toString());
        assertTrue(cli.out().contains("contract " + contract), cli.out());
        CliRun tampered = CliRun.run(
                "verify",
                "--rpc",
                node.rpcUrl(),
                "--deployment",
                file.toString(),
                "--fhir-base",
                fhir.base(),
                "--ref",
                TAMPERED);
        assertEquals(VerifierCli.EXIT_NOT_VERIFIED, tampered.code(), tampered.toString());
    }

    @Test
    void pinnedDeployment_thatDoesNotMatchTheChain_isRefused() throws Exception {
        DeploymentStatement honest = DeploymentStatement.signed("origin", 31337, deployment, Credentials.create(key));
        // Another account deploys a look-alike contract (same bytecode) and claims to be the deployer.
        String otherKey = TestKeys.fundedOn(node).privateKeyHex();
        Deployment lookAlike = Web3jLedger.deploy(settings, otherKey);
        Map<String, DeploymentStatement> refused = new LinkedHashMap<>();
        refused.put("unsigned", withSignature(honest, null));
        refused.put("signed by someone else", honest.signWith(Credentials.create(otherKey)));
        refused.put(
                "another contract, claimed by our deployer",
                new DeploymentStatement(
                                "origin",
                                31337,
                                lookAlike.contractAddress(),
                                honest.deployer(),
                                lookAlike.receipt().txHash(),
                                lookAlike.receipt().blockNumber(),
                                honest.runtimeCodeHash(),
                                null)
                        .signWith(Credentials.create(key)));
        refused.put(
                "wrong chain",
                new DeploymentStatement(
                                "origin",
                                1,
                                contract,
                                honest.deployer(),
                                honest.deploymentTransaction(),
                                honest.deploymentBlock(),
                                honest.runtimeCodeHash(),
                                null)
                        .signWith(Credentials.create(key)));
        refused.put(
                "other code",
                new DeploymentStatement(
                                "origin",
                                31337,
                                contract,
                                honest.deployer(),
                                honest.deploymentTransaction(),
                                honest.deploymentBlock(),
                                "0x" + "00".repeat(32),
                                null)
                        .signWith(Credentials.create(key)));
        refused.put(
                "wrong block",
                new DeploymentStatement(
                                "origin",
                                31337,
                                contract,
                                honest.deployer(),
                                honest.deploymentTransaction(),
                                honest.deploymentBlock() + 1,
                                honest.runtimeCodeHash(),
                                null)
                        .signWith(Credentials.create(key)));
        for (Map.Entry<String, DeploymentStatement> e : refused.entrySet()) {
            Path file = writeStatement("refused", e.getValue());
            CliRun cli = CliRun.run(
                    "verify",
                    "--rpc",
                    node.rpcUrl(),
                    "--deployment",
                    file.toString(),
                    "--fhir-base",
                    fhir.base(),
                    "--ref",
                    HONEST);
            assertEquals(VerifierCli.EXIT_USAGE, cli.code(), e.getKey() + ": " + cli);
            assertTrue(
                    cli.out().startsWith("NOT VERIFIED: deployment statement refused"), e.getKey() + ": " + cli.out());
        }
        // A --contract that contradicts the pinned statement is refused too.
        Path file = writeStatement("contradicted", honest);
        CliRun contradicted = CliRun.run(
                "verify",
                "--rpc",
                node.rpcUrl(),
                "--deployment",
                file.toString(),
                "--contract",
                lookAlike.contractAddress(),
                "--fhir-base",
                fhir.base(),
                "--ref",
                HONEST);
        assertEquals(VerifierCli.EXIT_USAGE, contradicted.code(), contradicted.toString());
    }

    private static DeploymentStatement withSignature(DeploymentStatement s, String signature) {
        return new DeploymentStatement(
                s.origin(),
                s.chainId(),
                s.contract(),
                s.deployer(),
                s.deploymentTransaction(),
                s.deploymentBlock(),
                s.runtimeCodeHash(),
                signature);
    }

    private Path writeStatement(String name, DeploymentStatement statement) throws Exception {
        Path file = Files.createTempFile(name, ".json");
        Files.writeString(file, statement.toJson());
        closeLater.add(() -> Files.deleteIfExists(file));
        return file;
    }

    // ---- one version ---------------------------------------------------------------------------

    @Test
    void servedVersionVerifiesWithLeafTreeAndAnchoringBlock() {
        CliRun cli = CliRun.run(
                "verify", "--rpc", node.rpcUrl(), "--contract", contract, "--fhir-base", fhir.base(), "--ref", HONEST);
        assertEquals(VerifierCli.EXIT_VERIFIED, cli.code(), cli.toString());
        assertTrue(cli.out().startsWith("VERIFIED update of " + HONEST), cli.out());
        assertTrue(cli.out().contains("leaf          " + log.indexOf(HONEST) + " of tree size " + size), cli.out());
        assertTrue(cli.out().contains("block " + fullCheckpoint.blockNumber()), cli.out());
        assertTrue(cli.out().contains(reader.contractAddress()), cli.out());

        // What went over the wire: JSON as served, no pretty printing.
        FakeFhirServer.Seen read = fhir.seen.stream()
                .filter(s -> s.pathAndQuery().startsWith("/fhir/" + HONEST + "?"))
                .findFirst()
                .orElseThrow();
        assertEquals("application/fhir+json", read.accept());
        assertTrue(read.pathAndQuery().contains("_format=json")
                && !read.pathAndQuery().contains("_pretty"));
    }

    @Test
    void currentVersionIsTheOneTheProofIsFor() {
        VersionCheck check = verifier.check(source(), "Patient/example");
        assertEquals(Outcome.VERIFIED, check.outcome(), check.detail());
        assertEquals("Patient/example/_history/3", check.ref());
    }

    @Test
    void deletedVersionVerifiesWithoutABody() {
        String deleted = log.versions.get(log.size() - 1).ref().toString();
        assertEquals(Operation.DELETE, log.version(deleted).entry().operation());
        CliRun cli = CliRun.run(
                "verify", "--rpc", node.rpcUrl(), "--contract", contract, "--fhir-base", fhir.base(), "--ref", deleted);
        assertEquals(VerifierCli.EXIT_VERIFIED, cli.code(), cli.toString());
        assertTrue(cli.out().startsWith("VERIFIED delete of " + deleted), cli.out());
    }

    @Test
    void oneCharacterChangedIsAContentHashMismatch(@TempDir Path dir) throws IOException {
        CliRun cli = CliRun.run(
                "verify",
                "--rpc",
                node.rpcUrl(),
                "--contract",
                contract,
                "--fhir-base",
                fhir.base(),
                "--ref",
                TAMPERED);
        assertEquals(VerifierCli.EXIT_NOT_VERIFIED, cli.code(), cli.toString());
        assertTrue(cli.out().startsWith("NOT VERIFIED: CONTENT_HASH_MISMATCH"), cli.out());

        // The same through files: the honest bytes verify, the altered ones do not.
        Path proof = Files.write(dir.resolve("proof.json"), ProofJson.write(log.proof(TAMPERED, size, anchor)));
        Path good = Files.write(dir.resolve("good.json"), log.version(TAMPERED).served());
        Path bad = Files.write(dir.resolve("bad.json"), altered);
        assertEquals(
                VerifierCli.EXIT_VERIFIED,
                CliRun.run(
                                "verify",
                                "--rpc",
                                node.rpcUrl(),
                                "--contract",
                                contract,
                                "--resource",
                                good.toString(),
                                "--proof",
                                proof.toString())
                        .code());
        CliRun files = CliRun.run(
                "verify",
                "--rpc",
                node.rpcUrl(),
                "--contract",
                contract,
                "--resource",
                bad.toString(),
                "--proof",
                proof.toString());
        assertEquals(VerifierCli.EXIT_NOT_VERIFIED, files.code(), files.toString());
        assertTrue(files.out().contains("CONTENT_HASH_MISMATCH"), files.out());
    }

    @Test
    void proofForATreeSizeNeverAnchoredIsNotAnchored(@TempDir Path dir) throws IOException {
        long unanchored = 17;
        AnchorProof proof = log.proof(HONEST, unanchored, anchor);
        byte[] served = log.version(HONEST).served();
        assertEquals(Status.NOT_ANCHORED, verifier.verify(served, proof).status());

        Path proofFile = Files.write(dir.resolve("proof.json"), ProofJson.write(proof));
        Path resource = Files.write(dir.resolve("resource.json"), served);
        CliRun cli = CliRun.run(
                "verify",
                "--rpc",
                node.rpcUrl(),
                "--contract",
                contract,
                "--resource",
                resource.toString(),
                "--proof",
                proofFile.toString());
        assertEquals(VerifierCli.EXIT_NOT_VERIFIED, cli.code(), cli.toString());
        assertTrue(cli.out().startsWith("NOT VERIFIED: NOT_ANCHORED"), cli.out());

        // The earlier checkpoint is anchored too: a proof against it verifies.
        String early = log.versions.get(3).ref().toString();
        assertTrue(verifier.verify(log.version(early).served(), log.proof(early, EARLY_CHECKPOINT, anchor))
                .verified());
    }

    @Test
    void rootThatDiffersFromTheChainIsRejected(@TempDir Path dir) throws IOException {
        // Another log of the same size: same leaves except the last. Its inclusion proofs are sound,
        // but its root is not the one the contract holds for this size.
        InMemorySubtreeHashes forked = new InMemorySubtreeHashes();
        for (int i = 0; i < size; i++) {
            LeafEntry entry = log.versions.get(i).entry();
            forked.append(
                    i < size - 1
                            ? entry.leafHash()
                            : new LeafEntry(entry.operation(), entry.ref(), entry.contentHash(), ExampleLog.salt(999))
                                    .leafHash());
        }
        int index = log.indexOf(HONEST);
        AnchorProof proof = AnchorProof.forLeaf(log.versions.get(index).entry(), index, size, forked, anchor);
        assertEquals(
                Status.ANCHORED_ROOT_MISMATCH,
                verifier.verify(log.version(HONEST).served(), proof).status());

        // Given as the server's $verify Parameters file.
        Path answer = Files.write(dir.resolve("verify.json"), FakeFhirServer.anchoredAnswer(proof, contract));
        Path resource =
                Files.write(dir.resolve("resource.json"), log.version(HONEST).served());
        CliRun cli = CliRun.run(
                "verify",
                "--rpc",
                node.rpcUrl(),
                "--contract",
                contract,
                "--resource",
                resource.toString(),
                "--proof",
                answer.toString());
        assertEquals(VerifierCli.EXIT_NOT_VERIFIED, cli.code(), cli.toString());
        assertTrue(cli.out().startsWith("NOT VERIFIED: ANCHORED_ROOT_MISMATCH"), cli.out());
    }

    @Test
    void contractNamedByTheServerIsIgnored() throws Exception {
        // The server anchors a rewritten log on a contract it controls and points its answers there.
        String own = Web3jLedger.deploy(settings, key).contractAddress();
        int index = log.indexOf(TAMPERED);
        LeafEntry honestEntry = log.versions.get(index).entry();
        LeafEntry rewritten =
                new LeafEntry(honestEntry.operation(), honestEntry.ref(), ContentHash.of(altered), honestEntry.salt());
        InMemorySubtreeHashes forged = new InMemorySubtreeHashes();
        for (int i = 0; i < size; i++) {
            forged.append(
                    i == index
                            ? rewritten.leafHash()
                            : log.versions.get(i).entry().leafHash());
        }
        AnchorReceipt forgedCheckpoint;
        try (Web3jLedger writer = Web3jLedger.connect(settings, own, key)) {
            forgedCheckpoint = writer.submitCheckpoint(size, forged.root(), null);
        }
        ChainAnchor ownAnchor = new ChainAnchor(31337, own, forgedCheckpoint.txHash(), forgedCheckpoint.blockNumber());

        FakeFhirServer lying = new FakeFhirServer();
        closeLater.add(lying);
        lying.serve(log, ref -> log.proof(ref, size, ownAnchor), own);
        lying.serveAltered(TAMPERED, altered);
        lying.verifyAnswers.put(
                TAMPERED,
                FakeFhirServer.anchoredAnswer(AnchorProof.forLeaf(rewritten, index, size, forged, ownAnchor), own));

        CliRun mine = CliRun.run(
                "verify",
                "--rpc",
                node.rpcUrl(),
                "--contract",
                contract,
                "--fhir-base",
                lying.base(),
                "--ref",
                TAMPERED);
        assertEquals(VerifierCli.EXIT_NOT_VERIFIED, mine.code(), mine.toString());
        assertTrue(mine.out().startsWith("NOT VERIFIED: ANCHORED_ROOT_MISMATCH"), mine.out());

        // An honest proof that merely names the other contract still verifies against the auditor's.
        CliRun honest = CliRun.run(
                "verify", "--rpc", node.rpcUrl(), "--contract", contract, "--fhir-base", lying.base(), "--ref", HONEST);
        assertEquals(VerifierCli.EXIT_VERIFIED, honest.code(), honest.toString());
        assertTrue(honest.out().contains("contract " + reader.contractAddress()), honest.out());

        // The control: trusting the server's contract would have "verified" the rewritten version.
        CliRun theirs = CliRun.run(
                "verify", "--rpc", node.rpcUrl(), "--contract", own, "--fhir-base", lying.base(), "--ref", TAMPERED);
        assertEquals(VerifierCli.EXIT_VERIFIED, theirs.code(), theirs.toString());
    }

    @Test
    void pendingAndServerReportedTamperingAreNotVerified() {
        FakeFhirServer server = new FakeFhirServer();
        closeLater.add(server);
        server.serve(log, ref -> log.proof(ref, size, anchor), contract);
        server.verifyAnswers.put(HONEST, FakeFhirServer.statusOnlyAnswer("pending", HONEST));
        server.verifyAnswers.put(TAMPERED, FakeFhirServer.statusOnlyAnswer("tampered", TAMPERED));

        CliRun pending = CliRun.run(
                "verify",
                "--rpc",
                node.rpcUrl(),
                "--contract",
                contract,
                "--fhir-base",
                server.base(),
                "--ref",
                HONEST);
        assertEquals(VerifierCli.EXIT_PENDING, pending.code(), pending.toString());
        assertTrue(pending.out().startsWith("NOT VERIFIED: PENDING: the server reports status pending"), pending.out());

        CliRun tampered = CliRun.run(
                "verify",
                "--rpc",
                node.rpcUrl(),
                "--contract",
                contract,
                "--fhir-base",
                server.base(),
                "--ref",
                TAMPERED);
        assertEquals(VerifierCli.EXIT_NOT_VERIFIED, tampered.code(), tampered.toString());
        assertTrue(tampered.out().startsWith("NOT VERIFIED: SERVER_REPORTS_TAMPERED"), tampered.out());

        WalkReport report =
                verifier.walk(new FhirSource(server.base(), null, Duration.ofSeconds(10)), null, 0, c -> {});
        assertEquals(
                List.of(HONEST),
                report.pending().stream().map(VersionCheck::ref).toList());
        assertEquals(
                List.of(TAMPERED),
                report.failures().stream().map(VersionCheck::ref).toList());
    }

    @Test
    void proofForAnotherVersionThanAskedIsRejected() {
        FakeFhirServer server = new FakeFhirServer();
        closeLater.add(server);
        server.serve(log, ref -> log.proof(ref, size, anchor), contract);
        // Asked about version 2 (say, altered), the server answers with the good proof of version 1.
        server.verifyAnswers.put(
                HONEST, FakeFhirServer.anchoredAnswer(log.proof("Patient/example/_history/1", size, anchor), contract));
        VersionCheck check = verifier.check(new FhirSource(server.base(), null, Duration.ofSeconds(10)), HONEST);
        assertEquals(VersionCheck.WRONG_VERSION, check.code(), check.detail());

        WalkReport report =
                verifier.walk(new FhirSource(server.base(), null, Duration.ofSeconds(10)), null, 0, c -> {});
        assertEquals(
                List.of(HONEST + " " + VersionCheck.WRONG_VERSION),
                report.failures().stream().map(c -> c.ref() + " " + c.code()).toList());
    }

    @Test
    void walkFallsBackToTheVersionsOwnUrlWhenTheBundleCopyDiffers() {
        FakeFhirServer server = new FakeFhirServer();
        closeLater.add(server);
        server.serve(log, ref -> log.proof(ref, size, anchor), contract);
        // The history Bundle carries an altered copy, the version's own URL serves the logged bytes.
        byte[] logged = log.version(TAMPERED).served();
        server.serveAltered(TAMPERED, altered);
        server.versions.put(TAMPERED, logged);

        WalkReport report =
                verifier.walk(new FhirSource(server.base(), null, Duration.ofSeconds(10)), null, 0, c -> {});
        assertTrue(report.allVerified(), report.failures().toString());
        VersionCheck reread = report.checks().stream()
                .filter(c -> c.ref().equals(TAMPERED))
                .findFirst()
                .orElseThrow();
        assertTrue(reread.detail().contains("re-read from its own URL"), reread.detail());
    }

    @Test
    void bearerTokenComesFromTheEnvironmentOrTheFlag() {
        CliRun fromEnv = CliRun.run(
                Map.of(FhirSource.TOKEN_ENV, "env-token"),
                "verify",
                "--rpc",
                node.rpcUrl(),
                "--contract",
                contract,
                "--fhir-base",
                fhir.base(),
                "--ref",
                "Claim/100150/_history/1");
        assertEquals(VerifierCli.EXIT_VERIFIED, fromEnv.code(), fromEnv.toString());
        assertTrue(fhir.seen.stream()
                .anyMatch(s -> s.pathAndQuery().startsWith("/fhir/Claim/100150/_history/1")
                        && "Bearer env-token".equals(s.authorization())));

        CliRun fromFlag = CliRun.run(
                Map.of(FhirSource.TOKEN_ENV, "env-token"),
                "verify",
                "--rpc",
                node.rpcUrl(),
                "--contract",
                contract,
                "--fhir-base",
                fhir.base(),
                "--ref",
                "Claim/100150/_history/2",
                "--token",
                "flag-token");
        assertEquals(VerifierCli.EXIT_VERIFIED, fromFlag.code(), fromFlag.toString());
        assertTrue(fhir.seen.stream()
                .anyMatch(s -> s.pathAndQuery().startsWith("/fhir/Claim/100150/_history/2")
                        && "Bearer flag-token".equals(s.authorization())));
    }

    // ---- configuration the verifier refuses ----------------------------------------------------

    @Test
    void wrongChainIdOrAContractThatIsNotFhirAnchorIsRefused() {
        CliRun wrongChain = CliRun.run(
                "verify",
                "--rpc",
                node.rpcUrl(),
                "--contract",
                contract,
                "--chain-id",
                "1",
                "--fhir-base",
                fhir.base(),
                "--ref",
                HONEST);
        assertEquals(VerifierCli.EXIT_USAGE, wrongChain.code(), wrongChain.toString());
        assertTrue(wrongChain.out().contains("is on chain 31337, not 1"), wrongChain.out());

        CliRun rightChain = CliRun.run(
                "verify",
                "--rpc",
                node.rpcUrl(),
                "--contract",
                contract,
                "--chain-id",
                "31337",
                "--fhir-base",
                fhir.base(),
                "--ref",
                HONEST);
        assertEquals(VerifierCli.EXIT_VERIFIED, rightChain.code(), rightChain.toString());

        CliRun noCode = CliRun.run(
                "verify",
                "--rpc",
                node.rpcUrl(),
                "--contract",
                "0x" + "12".repeat(20),
                "--fhir-base",
                fhir.base(),
                "--ref",
                HONEST);
        assertEquals(VerifierCli.EXIT_USAGE, noCode.code(), noCode.toString());
        assertTrue(noCode.out().contains("refusing contract"), noCode.out());
    }

    // ---- walk ----------------------------------------------------------------------------------

    @Test
    void walkReportsExactlyTheTamperedVersion() {
        assertTrue(size >= 20);
        CliRun cli = CliRun.run("walk", "--rpc", node.rpcUrl(), "--contract", contract, "--fhir-base", fhir.base());
        assertEquals(VerifierCli.EXIT_NOT_VERIFIED, cli.code(), cli.toString());
        assertTrue(cli.out().startsWith("walked " + size + " versions"), cli.out());
        assertTrue(cli.out().contains("verified " + (size - 1) + ", failed 1, pending 0, unavailable 0"), cli.out());
        List<String> failureLines =
                cli.out().lines().filter(l -> l.startsWith("FAILED ")).toList();
        assertEquals(1, failureLines.size(), cli.out());
        assertTrue(failureLines.get(0).startsWith("FAILED " + TAMPERED + ": CONTENT_HASH_MISMATCH"), cli.out());
        assertEquals(size, cli.err().lines().filter(l -> l.startsWith("[")).count(), "one progress line per version");

        WalkReport report = verifier.walk(source(), null, 0, c -> {});
        assertEquals(size, report.total());
        assertEquals(
                List.of(TAMPERED),
                report.failures().stream().map(VersionCheck::ref).toList());
        assertEquals(Map.of("CONTENT_HASH_MISMATCH", 1L, "VERIFIED", size - 1), report.countsByCode());
        String deleted = log.versions.get(log.size() - 1).ref().toString();
        assertTrue(report.checks().stream().anyMatch(c -> c.ref().equals(deleted) && c.verified()), "delete verified");
        assertEquals(
                log.versions.stream().map(v -> v.ref().toString()).sorted().toList(),
                report.checks().stream().map(VersionCheck::ref).sorted().toList(),
                "every version walked once");
    }

    @Test
    void walkByTypeAndWithALimit() {
        long observations = log.versions.stream()
                .filter(v -> v.ref().type().equals("Observation"))
                .count();
        CliRun byType = CliRun.run(
                "walk",
                "--rpc",
                node.rpcUrl(),
                "--contract",
                contract,
                "--fhir-base",
                fhir.base(),
                "--type",
                "Observation");
        assertEquals(VerifierCli.EXIT_NOT_VERIFIED, byType.code(), byType.toString());
        assertTrue(byType.out().startsWith("walked " + observations + " versions"), byType.out());

        CliRun patients = CliRun.run(
                "walk",
                "--rpc",
                node.rpcUrl(),
                "--contract",
                contract,
                "--fhir-base",
                fhir.base(),
                "--type",
                "Patient",
                "--max",
                "4");
        assertEquals(VerifierCli.EXIT_VERIFIED, patients.code(), patients.toString());
        assertTrue(patients.out().startsWith("walked 4 versions"), patients.out());
    }

    // ---- the chain goes away -------------------------------------------------------------------

    @Test
    void stoppedChainNodeIsCheckpointUnavailableNeverVerified() throws Exception {
        AnvilNode second = AnvilNode.start(AnvilNode.Options.defaults().withChainId(31337));
        String secondRpc = second.rpcUrl();
        VerificationResult result;
        WalkReport report;
        try {
            LedgerSettings secondSettings = LedgerSettings.forUrl(secondRpc);
            String secondKey = TestKeys.fundedOn(second).privateKeyHex();
            String secondContract =
                    Web3jLedger.deploy(secondSettings, secondKey).contractAddress();
            try (Web3jLedger writer = Web3jLedger.connect(secondSettings, secondContract, secondKey)) {
                writer.submitCheckpoint(size, log.tree.root(), null);
            }
            try (Web3jLedger secondReader = Web3jLedger.readOnly(secondSettings, secondContract)) {
                assertTrue(new Verifier(new ChainCheckpointSource(secondReader))
                        .verify(log.version(HONEST).served(), log.proof(HONEST, size, anchor))
                        .verified());
                second.stop();
                // A fresh source: a source caches checkpoints it has found (they never change on chain).
                Verifier onSecond = new Verifier(new ChainCheckpointSource(secondReader));
                result = onSecond.verify(log.version(HONEST).served(), log.proof(HONEST, size, anchor));
                report = onSecond.walk(source(), null, 0, c -> {});
            }
        } finally {
            second.stop();
        }
        assertEquals(Status.CHECKPOINT_UNAVAILABLE, result.status(), result.detail());
        assertTrue(result.detail().contains("checkpoint unavailable"), result.detail());
        // The altered version fails before the chain is asked; every other one is unavailable, none verified.
        assertEquals(0L, report.countsByOutcome().get(Outcome.VERIFIED));
        assertEquals(size - 1, report.countsByOutcome().get(Outcome.UNAVAILABLE));

        CliRun cli = CliRun.run(
                "verify", "--rpc", secondRpc, "--contract", contract, "--fhir-base", fhir.base(), "--ref", HONEST);
        assertEquals(VerifierCli.EXIT_UNAVAILABLE, cli.code(), cli.toString());
        assertTrue(cli.out().startsWith("NOT VERIFIED: CHECKPOINT_UNAVAILABLE"), cli.out());
        CliRun walk = CliRun.run("walk", "--rpc", secondRpc, "--contract", contract, "--fhir-base", fhir.base());
        assertEquals(VerifierCli.EXIT_UNAVAILABLE, walk.code(), walk.toString());
    }

    // ---- helpers -------------------------------------------------------------------------------

    private FhirSource source() {
        return new FhirSource(fhir.base(), null, Duration.ofSeconds(10));
    }
}
