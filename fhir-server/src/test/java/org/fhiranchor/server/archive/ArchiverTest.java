package org.fhiranchor.server.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fhiranchor.anchor.canonical.ContentHash;
import org.fhiranchor.anchor.chain.ArchiveRef;
import org.fhiranchor.anchor.chain.InMemoryLedger;
import org.fhiranchor.anchor.log.CompactRange;
import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.anchor.log.ResourceRef;
import org.fhiranchor.ipfs.cid.Cid;
import org.fhiranchor.ipfs.crypto.EnvelopeAuthenticationException;
import org.fhiranchor.ipfs.crypto.EnvelopeCipher;
import org.fhiranchor.ipfs.crypto.KeyRing;
import org.fhiranchor.ipfs.unixfs.ChunkedBytes;
import org.fhiranchor.server.FhirAnchorApplication;
import org.fhiranchor.server.anchoring.CheckpointRepository;
import org.fhiranchor.server.log.LogRepository;
import org.fhiranchor.server.log.VersionHasher;
import org.fhiranchor.server.schema.AnchorSchema;
import org.h2.jdbcx.JdbcDataSource;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The archiver on its own: an in-memory H2 log with anchored checkpoints, an in-memory ledger, versions from a map,
 * and an embedded store or a fake Kubo node; then the restorer over what it produced.
 */
class ArchiverTest {

    private static final FhirContext FHIR = FhirContext.forR4();
    private static final String FAMILY = "Plaintextfamily";

    static {
        FhirAnchorApplication.useUtc();
    }

    @TempDir
    Path temp;

    private JdbcTemplate jdbc;
    private TransactionTemplate transactions;
    private final InMemoryLedger ledger = new InMemoryLedger();
    private final Map<String, Resource> versions = new HashMap<>();
    private final VersionHasher hasher = new VersionHasher(FHIR);
    private final ArchiveBundleCodec codec = new ArchiveBundleCodec(FHIR);
    private final Map<Long, byte[]> roots = new HashMap<>();
    private final CompactRange tree = CompactRange.empty();
    private final KeyRing keys = KeyRing.of("2026-11-test", KeyRing.generateKey());
    private ArchiveRepository archives;
    private ArchiveStatus status;
    private FakeKuboNode kubo;

    @BeforeEach
    void database() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:archiver-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        jdbc = new JdbcTemplate(dataSource);
        transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        AnchorSchema.migrate(dataSource);
        archives = new ArchiveRepository(jdbc);
        status = new ArchiveStatus(new CheckpointRepository(jdbc), archives);
    }

    @AfterEach
    void stopKubo() {
        if (kubo != null) {
            kubo.close();
        }
    }

    @Test
    void whileClientsWriteItWaits_untilWritesStopOrTheBacklogIsFull() throws Exception {
        logSixVersionsInTwoCheckpoints();
        EmbeddedArchiveStore store = new EmbeddedArchiveStore(temp.resolve("ipfs"));
        boolean[] busy = {true};

        archiver(store, 1000)
                .withPacing(new Archiver.Pacing(() -> busy[0], 0, 7))
                .run();
        assertThat(archives.archivedSize()).isZero();
        assertThat(status.snapshot().backlog()).isEqualTo(6);

        archiver(store, 1000)
                .withPacing(new Archiver.Pacing(() -> busy[0], 0, 6))
                .run(); // backlog full
        assertThat(archives.archivedSize()).isEqualTo(3); // one bundle, then the backlog is below 6 again

        busy[0] = false;
        archiver(store, 1000)
                .withPacing(new Archiver.Pacing(() -> busy[0], 0, 7))
                .run();
        assertThat(archives.archivedSize()).isEqualTo(6);
        assertThat(archives.all()).allMatch(r -> r.status() == ArchiveRecord.Status.RECORDED);
    }

    @Test
    void eachAnchoredRangeIsArchivedEncryptedAndRecordedOnChain() throws Exception {
        logSixVersionsInTwoCheckpoints();
        EmbeddedArchiveStore store = new EmbeddedArchiveStore(temp.resolve("ipfs"));

        archiver(store, 1000).run();

        List<ArchiveRecord> rows = archives.all();
        assertThat(rows)
                .extracting(ArchiveRecord::fromSize, ArchiveRecord::toSize)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0L, 3L), org.assertj.core.groups.Tuple.tuple(3L, 6L));
        assertThat(rows)
                .allMatch(r -> r.status() == ArchiveRecord.Status.RECORDED
                        && r.txHash() != null
                        && r.keyId().equals("2026-11-test"));
        assertThat(ledger.archives()).hasSize(2);
        assertThat(Cid.fromBytes(ledger.archives().get(0).cid()).toString())
                .isEqualTo(rows.get(0).cid());
        assertThat(status.snapshot().backlog()).isZero();

        byte[] stored = store.get(Cid.parse(rows.get(0).cid()));
        assertThat(stored.length).isEqualTo(rows.get(0).sizeBytes());
        assertThat(new String(stored, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("FAAE");
        assertThat(new String(stored, StandardCharsets.ISO_8859_1))
                .doesNotContain(FAMILY)
                .doesNotContain("Patient");
        // Every block on disk is ciphertext too (the store's files, not just its API).
        try (var files = Files.walk(temp.resolve("ipfs"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).doesNotContain(FAMILY);
            }
        }
        byte[] plaintext = new EnvelopeCipher(keys).open(stored);
        String json = new String(plaintext, StandardCharsets.UTF_8);
        assertThat(json).contains(FAMILY);
        // The layout docs/archive.md section 6.2 documents.
        assertThat(json)
                .startsWith(
                        "{\"resourceType\":\"Bundle\",\"identifier\":{\"system\":"
                                + "\"https://fhir-anchor.org/fhir/archive-range\",\"value\":\"0-3\"},\"type\":\"collection\",\"timestamp\":\"");
        assertThat(json)
                .contains(
                        "\"entry\":[{\"extension\":[{\"url\":\"https://fhir-anchor.org/fhir/StructureDefinition/log-leaf\","
                                + "\"extension\":[{\"url\":\"leafIndex\",\"valueString\":\"0\"},{\"url\":\"operation\",\"valueCode\":\"create\"},"
                                + "{\"url\":\"reference\",\"valueString\":\"Patient/p1/_history/1\"},{\"url\":\"contentHash\",\"valueString\":\"");
        ArchiveBundleCodec.Decoded decoded = codec.decode(plaintext);
        assertThat(decoded.versions()).hasSize(3);
        KeyRing otherKeySameId = KeyRing.of("2026-11-test", KeyRing.generateKey());
        assertThatThrownBy(() -> new EnvelopeCipher(otherKeySameId).open(stored))
                .isInstanceOf(EnvelopeAuthenticationException.class);

        List<ArchivedVersion> replayed = new ArrayList<>();
        ArchiveRestorer.Summary summary = restorer(store, replayed::addAll).restore(chainIndex());
        assertThat(summary.versionsRestored()).isEqualTo(6);
        assertThat(summary.checkpointsProven()).isEqualTo(2);
        assertThat(replayed)
                .extracting(v -> v.leaf().operation())
                .containsExactly(
                        Operation.CREATE,
                        Operation.CREATE,
                        Operation.UPDATE,
                        Operation.CREATE,
                        Operation.DELETE,
                        Operation.CREATE);
        assertThat(hasher.contentHash(replayed.get(2).resourceOrNull()))
                .isEqualTo(hasher.contentHash(versions.get("Patient/p1/_history/2")));
    }

    @Test
    void longRangeIsSplitIntoBundlesOfAtMostTheConfiguredSize() throws Exception {
        logSixVersionsInTwoCheckpoints();
        EmbeddedArchiveStore store = new EmbeddedArchiveStore(temp.resolve("ipfs"));

        archiver(store, 2).run();

        assertThat(archives.all()).extracting(ArchiveRecord::toSize).containsExactly(2L, 3L, 5L, 6L);
        List<ArchivedVersion> replayed = new ArrayList<>();
        assertThat(restorer(store, replayed::addAll).restore(chainIndex()).checkpointsProven())
                .isEqualTo(2);
        assertThat(replayed).hasSize(6);
    }

    @Test
    void kuboUnreachable_archivingWaitsAndCatchesUp_nothingLost() throws Exception {
        logSixVersionsInTwoCheckpoints();
        kubo = FakeKuboNode.start();
        kubo.stop();
        Archiver archiver = archiver(new KuboArchiveStore(kubo.apiUrl(), java.time.Duration.ofSeconds(5)), 1000);

        archiver.run();
        archiver.run();
        assertThat(archives.all()).isEmpty();
        assertThat(ledger.archives()).isEmpty();
        assertThat(status.snapshot().backlog()).isEqualTo(6);
        assertThat(status.snapshot().lastError()).contains("storing archive 0..3");

        // More is anchored while the node is away; nothing is skipped when it returns.
        logVersion(6, Operation.CREATE, patient("p9", 1, "Later"));
        anchorCheckpoint(7);
        kubo.restart();
        archiver.run();

        assertThat(archives.all()).extracting(ArchiveRecord::toSize).containsExactly(3L, 6L, 7L);
        assertThat(status.snapshot().backlog()).isZero();
        assertThat(status.snapshot().lastError()).isNull();
        assertThat(kubo.objectCount()).isEqualTo(3);
        List<ArchivedVersion> replayed = new ArrayList<>();
        ArchiveRestorer.Summary summary = restorer(
                        new KuboArchiveStore(kubo.apiUrl(), java.time.Duration.ofSeconds(5)), replayed::addAll)
                .restore(chainIndex());
        assertThat(summary.versionsRestored()).isEqualTo(7);
        assertThat(summary.checkpointsProven()).isEqualTo(3);
    }

    @Test
    void kuboAnsweringAnotherCid_isRejectedAndNothingRecorded() throws Exception {
        logSixVersionsInTwoCheckpoints();
        kubo = FakeKuboNode.start();
        kubo.lie(true);

        archiver(new KuboArchiveStore(kubo.apiUrl(), java.time.Duration.ofSeconds(5)), 1000)
                .run();

        assertThat(archives.all()).isEmpty();
        assertThat(ledger.archives()).isEmpty();
        assertThat(status.snapshot().lastError()).contains("CidMismatchException");
        assertThat(status.snapshot().backlog()).isEqualTo(6);

        kubo.lie(false);
        archiver(new KuboArchiveStore(kubo.apiUrl(), java.time.Duration.ofSeconds(5)), 1000)
                .run();
        assertThat(archives.all()).hasSize(2);
    }

    @Test
    void alteredCiphertext_restoreFailsLoudlyAndWritesNothing() throws Exception {
        logSixVersionsInTwoCheckpoints();
        EmbeddedArchiveStore store = new EmbeddedArchiveStore(temp.resolve("ipfs"));
        archiver(store, 1000).run();
        // A store that serves the right CID's bytes with one ciphertext byte flipped (content addressing would catch
        // this on a real store; the envelope's tag must catch it regardless).
        ArchiveStore altered = new ArchiveStore() {
            @Override
            public Cid put(ChunkedBytes envelope) {
                throw new UnsupportedOperationException();
            }

            @Override
            public byte[] get(Cid cid) throws IOException {
                byte[] bytes = store.get(cid);
                bytes[bytes.length - 20] ^= 1;
                return bytes;
            }

            @Override
            public String describe() {
                return "altered";
            }
        };
        List<ArchivedVersion> replayed = new ArrayList<>();

        assertThatThrownBy(() -> restorer(altered, replayed::addAll).restore(chainIndex()))
                .isInstanceOf(RestoreException.class)
                .hasMessageContaining("archive 0..3")
                .hasMessageContaining("decryption failed (EnvelopeAuthenticationException)");
        assertThat(replayed).isEmpty();
    }

    @Test
    void rootOnChainDiffers_restoreFailsAndWritesNothing() throws Exception {
        logSixVersionsInTwoCheckpoints();
        EmbeddedArchiveStore store = new EmbeddedArchiveStore(temp.resolve("ipfs"));
        archiver(store, 1000).run();
        Map<Long, byte[]> forged = new HashMap<>(roots);
        forged.put(3L, ContentHash.deleted());
        List<ArchivedVersion> replayed = new ArrayList<>();

        assertThatThrownBy(() ->
                        restorer(store, replayed::addAll).restore(new ChainArchiveIndex(forged, 6, ledger.archives())))
                .isInstanceOf(RestoreException.class)
                .hasMessageContaining("do not hash to the root anchored on chain");
        assertThat(replayed).isEmpty();
    }

    @Test
    void archiveMissingOnChain_isAGap() throws Exception {
        logSixVersionsInTwoCheckpoints();
        EmbeddedArchiveStore store = new EmbeddedArchiveStore(temp.resolve("ipfs"));
        archiver(store, 1000).run();
        List<ArchiveRef> onlySecond = List.of(ledger.archives().get(1));

        assertThatThrownBy(() -> restorer(store, v -> {}).restore(new ChainArchiveIndex(roots, 6, onlySecond)))
                .isInstanceOf(RestoreException.class)
                .hasMessageContaining("no archive on chain for leaves 0..3");
    }

    @Test
    void generatedKeyIsOwnerOnly_andRotationKeepsOldKeysReadable() throws Exception {
        ArchiveProperties defaults =
                new ArchiveProperties(true, java.time.Duration.ofSeconds(1), 1000, null, null, null, null, 1.0, 0);
        KeyRing first = ArchiveKeys.load(defaults, temp);
        Path keyFile;
        try (var files = Files.list(temp.resolve("keys"))) {
            keyFile = files.toList().get(0);
        }
        assertThat(keyFile.getFileName().toString()).isEqualTo("archive-" + first.currentKeyId() + ".key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                .isEqualTo("rw-------");
        assertThat(ArchiveKeys.load(defaults, temp).currentKeyId()).isEqualTo(first.currentKeyId()); // stable
        byte[] oldEnvelope = new EnvelopeCipher(first).seal("old".getBytes(StandardCharsets.UTF_8));

        ArchiveKeys.writeKeyFile(temp.resolve("keys").resolve("archive-9999-12-31-rotated.key"), KeyRing.generateKey());
        KeyRing rotated = ArchiveKeys.load(defaults, temp);

        assertThat(rotated.currentKeyId()).isEqualTo("9999-12-31-rotated");
        assertThat(new EnvelopeCipher(rotated).open(oldEnvelope)).isEqualTo("old".getBytes(StandardCharsets.UTF_8));
        assertThat(ArchiveKeys.fromFiles(List.of(keyFile)).keyIds()).containsExactly(first.currentKeyId());
    }

    // ---- fixture ---------------------------------------------------------------------------------------------

    /** p1 v1, p2 v1, p1 v2 | p3 v1, p2 deleted, p4 v1; checkpoints at 3 and 6, both anchored. */
    private void logSixVersionsInTwoCheckpoints() {
        logVersion(0, Operation.CREATE, patient("p1", 1, "One"));
        logVersion(1, Operation.CREATE, patient("p2", 1, "Two"));
        logVersion(2, Operation.UPDATE, patient("p1", 2, "One-updated"));
        anchorCheckpoint(3);
        logVersion(3, Operation.CREATE, patient("p3", 1, "Three"));
        logDelete(4, new ResourceRef("Patient", "p2", "2"));
        logVersion(5, Operation.CREATE, patient("p4", 1, "Four"));
        anchorCheckpoint(6);
    }

    private Patient patient(String id, int version, String given) {
        Patient patient = new Patient();
        patient.setId(new org.hl7.fhir.r4.model.IdType("Patient", id, Integer.toString(version)));
        patient.getMeta().setVersionId(Integer.toString(version)).setLastUpdated(new java.util.Date());
        patient.addName().setFamily(FAMILY).addGiven(given);
        patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1970-01-0" + version));
        return patient;
    }

    private void logVersion(long leafIndex, Operation operation, Patient patient) {
        ResourceRef ref = new ResourceRef(
                "Patient", patient.getIdElement().getIdPart(), patient.getMeta().getVersionId());
        versions.put(ref.toString(), patient);
        insertLeaf(leafIndex, new LeafEntry(operation, ref, hasher.contentHash(patient), salt()));
    }

    private void logDelete(long leafIndex, ResourceRef ref) {
        insertLeaf(leafIndex, new LeafEntry(Operation.DELETE, ref, ContentHash.deleted(), salt()));
    }

    private void insertLeaf(long leafIndex, LeafEntry leaf) {
        jdbc.update(
                "INSERT INTO anchor_log_entry (resource_type, resource_id, version_id, operation, content_hash, salt, "
                        + "recorded_at, leaf_index, leaf_hash, sequenced_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                leaf.ref().type(),
                leaf.ref().id(),
                Long.parseLong(leaf.ref().versionId()),
                leaf.operation().code(),
                HexFormat.of().formatHex(leaf.contentHash()),
                HexFormat.of().formatHex(leaf.salt()),
                Timestamp.from(Instant.now()),
                leafIndex,
                HexFormat.of().formatHex(leaf.leafHash()),
                Timestamp.from(Instant.now()));
        tree.append(leaf.leafHash());
    }

    private void anchorCheckpoint(long size) {
        byte[] root = tree.root();
        roots.put(size, root);
        var receipt = ledger.submitCheckpoint(size, root, null);
        jdbc.update(
                "INSERT INTO anchor_checkpoint (tree_size, root_hash, created_at, status, chain_id, contract_address, "
                        + "tx_hash, block_number, gas_used, anchored_at, attempts) VALUES (?, ?, ?, 'ANCHORED', ?, ?, ?, ?, ?, ?, 1)",
                size,
                HexFormat.of().formatHex(root),
                Timestamp.from(Instant.now()),
                ledger.chainId(),
                ledger.contractAddress(),
                receipt.txHash(),
                receipt.blockNumber(),
                receipt.gasUsed(),
                Timestamp.from(Instant.now()));
    }

    private static byte[] salt() {
        return KeyRing.generateKey(); // 32 random bytes
    }

    private Archiver archiver(ArchiveStore store, int maxLeaves) {
        return new Archiver(
                new LogRepository(jdbc),
                new CheckpointRepository(jdbc),
                archives,
                jdbc,
                transactions,
                () -> ledger,
                ref -> versions.get(ref.toString()).copy(),
                hasher,
                codec,
                keys,
                store,
                maxLeaves,
                status,
                Clock.systemUTC());
    }

    private ArchiveRestorer restorer(ArchiveStore store, RestoreTarget target) {
        return new ArchiveRestorer(store, new EnvelopeCipher(keys), codec, hasher, target, System.err);
    }

    private ChainArchiveIndex chainIndex() {
        return new ChainArchiveIndex(roots, tree.size(), ledger.archives());
    }
}
