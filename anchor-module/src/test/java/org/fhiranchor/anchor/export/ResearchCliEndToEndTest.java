package org.fhiranchor.anchor.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fhiranchor.anchor.chain.AnvilNode;
import org.fhiranchor.anchor.chain.LedgerSettings;
import org.fhiranchor.anchor.chain.TestKeys;
import org.fhiranchor.anchor.chain.Web3jLedger;
import org.fhiranchor.anchor.verifier.CliRun;
import org.fhiranchor.anchor.verifier.VerifierCli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The researcher's commands against a real Anvil (the FhirAnchor contract, a checkpoint and consent
 * decisions, one of them superseded after the export) and a loopback server playing the export endpoints.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResearchCliEndToEndTest {

    private static final String TOKEN = "research-token-123";

    @TempDir
    static Path tmp;

    private AnvilNode node;
    private String contract;
    private ExportFixture fixture;
    private HttpServer server;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    @BeforeAll
    void setUp() throws Exception {
        node = AnvilNode.start(AnvilNode.Options.defaults().withChainId(31337));
        LedgerSettings settings = LedgerSettings.forUrl(node.rpcUrl());
        String key = TestKeys.fundedOn(node).privateKeyHex();
        contract = Web3jLedger.deploy(settings, key).contractAddress();
        try (Web3jLedger writer = Web3jLedger.connect(settings, contract, key)) {
            fixture = new ExportFixture()
                    .build(tmp.resolve("server"), writer, null, new ExportFixture.Options(false, false, false, true));
        }

        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/fhir/", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String query = exchange.getRequestURI().getRawQuery();
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            int code = 200;
            if (path.endsWith("$research-export-status")) {
                if (running.get()) {
                    exchange.getResponseHeaders().add("X-Progress", "reading Observation: 3 resources");
                    code = 202;
                    body = new byte[0];
                } else {
                    String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir/";
                    String file = base + "$research-export-file?_jobId=j1&name=";
                    body = ("{\"transactionTime\":\"2026-11-21T10:00:00Z\",\"request\":\"" + base
                                    + "$research-export\","
                                    + "\"requiresAccessToken\":true,\"output\":[{\"type\":\"Observation\",\"url\":\""
                                    + file
                                    + "Observation-1.ndjson.enc\",\"count\":3}],\"error\":[],\"extension\":{\"manifest\":\""
                                    + file
                                    + "manifest.json\",\"proof\":\"" + file
                                    + "export-proof.json\",\"provenance\":\"Provenance/prov1/_history/1\"}}")
                            .getBytes(StandardCharsets.UTF_8);
                }
            } else {
                String name = query.substring(query.indexOf("name=") + 5);
                Path file = tmp.resolve("server").resolve(name);
                body = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
                code = Files.exists(file) ? 200 : 404;
            }
            exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    void tearDown() {
        if (server != null) {
            server.stop(0);
        }
        if (node != null) {
            node.stop();
        }
    }

    @Test
    void keygenWritesAnOwnerOnlyKeyAndRefusesToOverwrite() throws IOException {
        Path key = tmp.resolve("researcher.key");
        CliRun cli = CliRun.run(Map.of(), "research-keygen", "--out", key.toString());
        assertEquals(VerifierCli.EXIT_VERIFIED, cli.code(), cli.toString());
        byte[] privateKey = RecipientBox.decodePrivateKey(Files.readString(key));
        assertEquals(
                RecipientBox.encodeKey(RecipientBox.publicKeyOf(privateKey)),
                cli.out().strip());
        if (key.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals(
                    Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(key));
        }
        String before = Files.readString(key);
        assertEquals(
                VerifierCli.EXIT_USAGE,
                CliRun.run(Map.of(), "research-keygen", "--out", key.toString()).code());
        assertEquals(before, Files.readString(key));
    }

    @Test
    void fetchThenVerifyAgainstTheChain() throws IOException {
        String status = "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir/$research-export-status?_jobId=j1";
        Path dir = tmp.resolve("download");
        running.set(true);
        CliRun pending = CliRun.run(
                Map.of("FHIR_ANCHOR_TOKEN", TOKEN), "research-fetch", "--status-url", status, "--dir", dir.toString());
        assertEquals(VerifierCli.EXIT_PENDING, pending.code(), pending.toString());
        assertTrue(pending.out().contains("reading Observation: 3 resources"), pending.out());

        running.set(false);
        CliRun fetch = CliRun.run(
                Map.of("FHIR_ANCHOR_TOKEN", TOKEN), "research-fetch", "--status-url", status, "--dir", dir.toString());
        assertEquals(VerifierCli.EXIT_VERIFIED, fetch.code(), fetch.toString());
        assertTrue(authorizations.stream().allMatch(("Bearer " + TOKEN)::equals), authorizations.toString());
        for (ExportFile file : fixture.manifest.files()) {
            assertTrue(Files.exists(dir.resolve(file.name())), file.name());
        }

        Path key = Files.writeString(tmp.resolve("the.key"), fixture.researcher.privateKeyText() + "\n");
        Path plain = tmp.resolve("plain");
        CliRun verify = CliRun.run(
                Map.of(),
                "research-verify",
                "--dir",
                dir.toString(),
                "--rpc",
                node.rpcUrl(),
                "--contract",
                contract,
                "--chain-id",
                "31337",
                "--key",
                key.toString(),
                "--out",
                plain.toString());
        assertEquals(VerifierCli.EXIT_VERIFIED, verify.code(), verify.toString());
        String[] lines = verify.out().split("\n");
        assertEquals(7, lines.length, verify.out());
        for (int i = 0; i < 6; i++) {
            assertTrue(lines[i].startsWith((i + 1) + " " + ResearchExportVerifier.NAMES[i] + ": PASSED"), lines[i]);
        }
        assertTrue(lines[6].startsWith("VERIFIED"), lines[6]);
        assertTrue(Files.exists(plain.resolve("sources-1.ndjson")));

        CliRun noKey = CliRun.run(
                Map.of(), "research-verify", "--dir", dir.toString(), "--rpc", node.rpcUrl(), "--contract", contract);
        assertEquals(VerifierCli.EXIT_VERIFIED, noKey.code(), noKey.toString());
        assertTrue(noKey.out().contains("VERIFIED (checks 1-3 only"), noKey.out());

        // A data file changed after download: check 3, exit 1.
        Path file = dir.resolve("Patient-1.ndjson.enc");
        byte[] bytes = Files.readAllBytes(file);
        bytes[60] ^= 1;
        Files.write(file, bytes);
        CliRun tampered = CliRun.run(
                Map.of(),
                "research-verify",
                "--dir",
                dir.toString(),
                "--rpc",
                node.rpcUrl(),
                "--contract",
                contract,
                "--key",
                key.toString());
        assertEquals(VerifierCli.EXIT_NOT_VERIFIED, tampered.code(), tampered.toString());
        assertTrue(
                tampered.out().contains("NOT VERIFIED: check 3 (files): Patient-1.ndjson.enc hashes to"),
                tampered.out());
        assertFalse(tampered.out().contains("\nVERIFIED"), tampered.out());

        assertEquals(
                VerifierCli.EXIT_USAGE,
                CliRun.run(
                                Map.of(),
                                "research-verify",
                                "--dir",
                                dir.toString(),
                                "--rpc",
                                node.rpcUrl(),
                                "--contract",
                                contract,
                                "--out",
                                plain.toString())
                        .code(),
                "--out without --key");
    }
}
