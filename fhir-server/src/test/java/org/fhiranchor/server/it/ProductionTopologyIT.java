package org.fhiranchor.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fhiranchor.anchor.chain.AnvilNode;
import org.fhiranchor.ipfs.cid.Cid;
import org.fhiranchor.ipfs.crypto.EnvelopeCipher;
import org.fhiranchor.ipfs.kubo.JsIpfsNode;
import org.fhiranchor.ipfs.kubo.KuboClient;
import org.fhiranchor.server.archive.ArchiveKeys;
import org.fhiranchor.server.cli.ServerLauncher;
import org.fhiranchor.server.support.PostgresTestDatabase;
import org.fhiranchor.server.support.SharedData;
import org.fhiranchor.server.support.TestDataDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

/**
 * docker/compose.yaml's topology, natively: PostgreSQL, a separate Anvil process as an external chain, a separate
 * IPFS node with Kubo's RPC API (js-ipfs, {@link JsIpfsNode}), and the server from the packaged jar in an empty
 * directory configured by environment variables only, its secrets read from files as a config tree (the compose
 * secrets mechanism). It ingests Synthea bundles, then stops and restarts the server, the chain and the IPFS node
 * in turn, writing while each one is down, and finds nothing lost: every version logged and anchored, every archive
 * on the node, readable, and covering the log without a gap. PostgreSQL is the machine's (scripts/postgres-local.sh,
 * .ci/run), not this test's, so it is not restarted.
 */
@ExtendWith(PostgresTestDatabase.class)
class ProductionTopologyIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CATCH_UP = Duration.ofMinutes(10);

    @Test
    void composeTopology_restartEachService_nothingLost() throws Exception {
        Path root = TestDataDirectory.newSubdirectory("topology-");
        List<Path> bundles;
        try (Stream<Path> files = Files.list(SharedData.synthea())) {
            // The five smallest patient bundles: about 600 versions in all.
            bundles = files.filter(p -> p.getFileName().toString().matches("[A-Z].*\\.json"))
                    .sorted((a, b) ->
                            Long.compare(a.toFile().length(), b.toFile().length()))
                    .limit(5)
                    .toList();
        }
        String chainKey =
                Numeric.toHexStringNoPrefixZeroPadded(Keys.createEcKeyPair().getPrivateKey(), 64);
        Path secrets = writeSecrets(root.resolve("secrets"), chainKey);
        String database = PostgresTestDatabase.url("topology");

        AnvilNode.Options chainOptions = AnvilNode.Options.defaults()
                .withBlockTime(1)
                .withState(root.resolve("chain-state.json"), 1)
                .withLogFile(root.resolve("anvil.log"));
        AnvilNode chain = AnvilNode.start(chainOptions);
        chainOptions = chainOptions.withPort(chain.port());
        Path jsIpfsPackage = Path.of(System.getProperty("basedir", "."))
                .resolve("../ipfs/src/test/js-ipfs")
                .normalize();
        ServerLauncher server = null;
        try (JsIpfsNode ipfs = JsIpfsNode.create(JsIpfsNode.install(jsIpfsPackage), root.resolve("ipfs-repo"))
                .start(Duration.ofSeconds(90))) {
            chain.fund(Credentials.create(chainKey).getAddress(), BigInteger.TEN.pow(21));
            Path site = Files.createDirectories(root.resolve("site"));
            int port = ServerLauncher.freePort();
            Map<String, String> env =
                    environment(port, database, chain.rpcUrl(), ipfs.apiUrl().toString(), secrets);
            List<String> command = List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g",
                    "-jar",
                    ProcessTests.jar().toString());

            server = ServerLauncher.launch(command, site, site.resolve("data"), port, env);
            AnchoringClient client = new AnchoringClient(server);
            ingest(client, bundles.subList(0, 2));
            awaitAnchoredAndArchived(client);

            // The server: a graceful stop and a start on the same database, chain and node.
            server.close();
            server = ServerLauncher.launch(command, site, site.resolve("data"), port, env);
            client = new AnchoringClient(server);
            ingest(client, bundles.subList(2, 3));
            awaitAnchoredAndArchived(client);

            // The chain: down while a bundle is written (stored and logged, anchored later), then back from its state.
            chain.stop();
            ingest(client, bundles.subList(3, 4));
            chain = AnvilNode.start(chainOptions);
            awaitAnchoredAndArchived(client);

            // The IPFS node: down while a bundle is written and anchored, archived once it is back.
            ipfs.stop();
            ingest(client, bundles.subList(4, 5));
            ipfs.start(Duration.ofSeconds(90));
            long settled = awaitAnchoredAndArchived(client);

            // PostgreSQL: not restarted (see the class comment).
            assertNothingLost(
                    client, chain, ipfs.client(Duration.ofMinutes(1)), database, secrets, entries(bundles), settled);
        } finally {
            if (server != null) {
                server.close();
            }
            chain.close();
            keepLogs(root);
        }
    }

    /** The scratch directory goes when the JVM exits: the logs are kept in target/ for whoever looks. */
    private static void keepLogs(Path root) throws java.io.IOException {
        Path kept = Files.createDirectories(Path.of("target", "production-topology-it"));
        try (Stream<Path> files = Files.walk(root)) {
            for (Path log : files.filter(p -> p.getFileName().toString().endsWith(".log"))
                    .toList()) {
                Files.copy(log, kept.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** As compose.yaml configures the server: environment variables, and secrets as files in a config tree. */
    private static Map<String, String> environment(
            int port, String database, String rpcUrl, String kuboUrl, Path secrets) {
        Map<String, String> env = new HashMap<>();
        env.put("FHIR_ANCHOR_PORT", Integer.toString(port));
        env.put("SPRING_PROFILES_ACTIVE", "postgres");
        env.put("SPRING_CONFIG_IMPORT", "optional:configtree:" + secrets + "/");
        env.put("POSTGRES_URL", database);
        env.put("POSTGRES_USER", PostgresTestDatabase.USER);
        env.put("FHIR_ANCHOR_CHAIN_MODE", "external");
        env.put("FHIR_ANCHOR_CHAIN_RPC_URL", rpcUrl);
        env.put("FHIR_ANCHOR_CHAIN_CHAIN_ID", "31337");
        env.put("FHIR_ANCHOR_IPFS_MODE", "kubo");
        env.put("FHIR_ANCHOR_IPFS_KUBO_API_URL", kuboUrl);
        env.put(
                "FHIR_ANCHOR_ARCHIVE_KEY_FILE",
                secrets.resolve("archive-topology.key").toString());
        env.put("FHIR_ANCHOR_ANCHORING_CHECKPOINT_INTERVAL", "1s");
        return env;
    }

    private static Path writeSecrets(Path dir, String chainKey) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("POSTGRES_PASSWORD"), PostgresTestDatabase.PASSWORD + "\n");
        Files.writeString(dir.resolve("fhir-anchor.chain.private-key"), chainKey + "\n");
        Files.writeString(dir.resolve("FHIR_ANCHOR_CONSENT_HMAC_KEY"), randomHex(32) + "\n");
        Files.writeString(dir.resolve("archive-topology.key"), randomHex(32) + "\n");
        return dir;
    }

    private static String randomHex(int bytes) {
        byte[] value = new byte[bytes];
        new java.security.SecureRandom().nextBytes(value);
        return java.util.HexFormat.of().formatHex(value);
    }

    private static void ingest(AnchoringClient client, List<Path> bundles) throws Exception {
        for (Path bundle : bundles) {
            assertThat(client.postBundle(bundle))
                    .as(bundle.getFileName().toString())
                    .isEqualTo(200);
        }
    }

    /**
     * Everything logged so far (the writes above included) is anchored, archived, and the archives are on chain.
     * Returns the archived tree size at that moment: the log goes on growing after it (the requests' AuditEvents
     * are sealed into batches shortly after), so later archives may still be on their way to the chain.
     */
    private static long awaitAnchoredAndArchived(AnchoringClient client) throws Exception {
        long written = client.anchoringHealth().path("logEntries").asLong();
        assertThat(written).isPositive();
        await("anchored up to " + written)
                .atMost(CATCH_UP)
                .until(() -> client.anchoringHealth().path("anchoredTreeSize").asLong() >= written);
        JsonNode settled = await("archived up to " + written + " and recorded on chain")
                .atMost(CATCH_UP)
                .until(
                        () -> archiveHealth(client),
                        archive -> archive.path("archivedTreeSize").asLong() >= written
                                && archive.path("archivesNotOnChain").asLong() == 0);
        return settled.path("archivedTreeSize").asLong();
    }

    private static JsonNode archiveHealth(AnchoringClient client) throws Exception {
        return client.anchoringHealthRoot().path("components").path("archive").path("details");
    }

    /** The number of entries in the bundles: each one a version the log must hold. */
    private static long entries(List<Path> bundles) throws java.io.IOException {
        long total = 0;
        for (Path bundle : bundles) {
            total += JSON.readTree(bundle.toFile()).path("entry").size();
        }
        return total;
    }

    private static void assertNothingLost(
            AnchoringClient client,
            AnvilNode chain,
            KuboClient ipfs,
            String database,
            Path secrets,
            long written,
            long settled)
            throws Exception {
        // Every stored version is in the log with its hash (the audit sweep reads all of them).
        assertThat(client.sweepProblems()).isEmpty();
        // Every checkpoint the server calls anchored is on the (restarted) chain, and nothing else is.
        assertThat(client.assertChainMatchesServer(chain.rpcUrl())).isPositive();

        EnvelopeCipher cipher =
                new EnvelopeCipher(ArchiveKeys.fromFiles(List.of(secrets.resolve("archive-topology.key"))));
        try (Connection db = DriverManager.getConnection(
                        database, PostgresTestDatabase.USER, PostgresTestDatabase.PASSWORD);
                Statement sql = db.createStatement()) {
            long leaves;
            try (ResultSet rs =
                    sql.executeQuery("SELECT COUNT(leaf_index), COUNT(DISTINCT leaf_index), MIN(leaf_index), "
                            + "MAX(leaf_index) FROM anchor_log_entry")) {
                rs.next();
                leaves = rs.getLong(1);
                // Every version written (plus the AuditEvents of the test's own requests).
                assertThat(leaves).as("log entries").isGreaterThanOrEqualTo(written);
                assertThat(rs.getLong(2)).as("distinct leaf indexes").isEqualTo(leaves);
                assertThat(rs.getLong(3)).isZero();
                assertThat(rs.getLong(4)).as("no gap in the log").isEqualTo(leaves - 1);
            }
            // The archives tile the log from leaf 0 without a gap, and each one is on the restarted node and opens.
            List<long[]> ranges = new ArrayList<>();
            long next = 0;
            try (ResultSet rs =
                    sql.executeQuery("SELECT from_size, to_size, cid, status FROM anchor_archive ORDER BY from_size")) {
                while (rs.next()) {
                    long from = rs.getLong(1);
                    long to = rs.getLong(2);
                    assertThat(from).as("archive ranges are contiguous").isEqualTo(next);
                    // Archives up to the settled size are on chain; later ones (of AuditEvents sealed since,
                    // among them this method's own requests') may still be on their way.
                    assertThat(rs.getString(4))
                            .as("status of archive " + from + "-" + to)
                            .isIn(to <= settled ? List.of("RECORDED") : List.of("STORED", "RECORDED"));
                    byte[] plain = cipher.open(ipfs.cat(Cid.parse(rs.getString(3)), Duration.ofSeconds(60)));
                    // One entry per leaf; a batch record's audit batch members travel with it (docs/archive.md 6.2).
                    int leafEntries = 0;
                    for (com.fasterxml.jackson.databind.JsonNode entry :
                            JSON.readTree(plain).path("entry")) {
                        if (entry.toString().contains("StructureDefinition/log-leaf")) {
                            leafEntries++;
                        }
                    }
                    assertThat(leafEntries)
                            .as("leaf entries of archive " + from + "-" + to)
                            .isEqualTo((int) (to - from));
                    ranges.add(new long[] {from, to});
                    next = to;
                }
            }
            assertThat(ranges).isNotEmpty();
            assertThat(next).as("archived at least every version written").isGreaterThanOrEqualTo(written);
        }
    }
}
