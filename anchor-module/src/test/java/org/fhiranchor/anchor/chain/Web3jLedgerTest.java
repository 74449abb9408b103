package org.fhiranchor.anchor.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.fhiranchor.anchor.chain.generated.FhirAnchor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;

/** The ledger against a real Anvil; every test gets a freshly deployed contract. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Web3jLedgerTest {
    private AnvilNode node;
    private Web3j web3j;
    private LedgerSettings settings;
    private TestKeys owner;
    private Deployment deployment;
    private Web3jLedger ledger;

    @BeforeAll
    void startNode() {
        node = AnvilNode.start(AnvilNode.Options.defaults().withChainId(31337));
        web3j = Web3j.build(new HttpService(node.rpcUrl()));
        settings = LedgerSettings.forUrl(node.rpcUrl());
        owner = TestKeys.fundedOn(node);
    }

    @AfterAll
    void stopNode() {
        if (web3j != null) {
            web3j.shutdown();
        }
        if (node != null) {
            node.stop();
        }
        GasReport.print();
    }

    @BeforeEach
    void deploy() {
        deployment = Web3jLedger.deploy(settings, owner.privateKeyHex());
        ledger = Web3jLedger.connect(settings, deployment.contractAddress(), owner.privateKeyHex());
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    @Test
    void deploysWithDeployerAsOwnerAndWriter() {
        assertEquals(owner.address(), ledger.owner());
        assertTrue(ledger.isWriter(owner.address()));
        assertEquals(31337, ledger.chainId());
        assertEquals(0, ledger.checkpointCount());
        assertEquals(Optional.empty(), ledger.latestCheckpoint());
        assertTrue(deployment.receipt().gasUsed() > 0);
        GasReport.record("deploy", deployment.receipt().gasUsed());
    }

    @Test
    void checkpointsReadBackByIndexAndSize() {
        AnchorReceipt first = ledger.submitCheckpoint(3, TestKeys.hash("root-3"), null);
        AnchorReceipt second = ledger.submitCheckpoint(10, TestKeys.hash("root-10"), null);
        AnchorReceipt third = ledger.submitCheckpoint(11, TestKeys.hash("root-11"), null);
        GasReport.record("checkpoint, first", first.gasUsed());
        GasReport.record("checkpoint, subsequent", second.gasUsed());
        assertFalse(first.alreadyAnchored());
        assertEquals(1, ledger.confirmations(third.blockNumber()));

        assertEquals(3, ledger.checkpointCount());
        OnChainCheckpoint bySize = ledger.checkpointBySize(10).orElseThrow();
        assertArrayEquals(TestKeys.hash("root-10"), bySize.root());
        assertEquals(second.blockNumber(), bySize.blockNumber());
        assertTrue(bySize.timestamp() > 1_600_000_000L);
        assertEquals(bySize, ledger.checkpointAt(1).orElseThrow());
        assertEquals(3, ledger.checkpointAt(0).orElseThrow().treeSize());
        assertEquals(Optional.empty(), ledger.checkpointAt(3));
        assertEquals(Optional.empty(), ledger.checkpointBySize(4));
        assertEquals(11, ledger.latestCheckpoint().orElseThrow().treeSize());
    }

    @Test
    void checkpointBySizeFindsEveryCheckpointAmongMany() {
        long[] sizes = {1, 2, 4, 8, 9, 15, 16, 30, 31, 100};
        for (long size : sizes) {
            ledger.submitCheckpoint(size, TestKeys.hash("root-" + size), null);
        }
        for (long size = 0; size <= 101; size++) {
            long wanted = size;
            boolean anchored = java.util.Arrays.stream(sizes).anyMatch(s -> s == wanted);
            Optional<OnChainCheckpoint> found = ledger.checkpointBySize(size);
            assertEquals(anchored, found.isPresent(), "size " + size);
            found.ifPresent(c -> assertArrayEquals(TestKeys.hash("root-" + wanted), c.root()));
        }
    }

    @Test
    void nonIncreasingTreeSizeRevertsAndAnIdenticalRetryIsAlreadyAnchored() {
        AnchorReceipt original = ledger.submitCheckpoint(5, TestKeys.hash("root-5"), null);

        AnchorReceipt retry = ledger.submitCheckpoint(5, TestKeys.hash("root-5"), null);
        assertTrue(retry.alreadyAnchored());
        assertEquals(original.txHash(), retry.txHash());
        assertEquals(original.blockNumber(), retry.blockNumber());
        assertEquals(1, ledger.checkpointCount());

        LedgerRevertedException smaller = assertThrows(
                LedgerRevertedException.class, () -> ledger.submitCheckpoint(4, TestKeys.hash("root-4"), null));
        assertEquals("TreeSizeNotIncreasing", smaller.errorName());
        assertTrue(smaller.getMessage().contains("TreeSizeNotIncreasing(4, 5)"), smaller.getMessage());
        assertFalse(smaller.retryable());

        LedgerRevertedException fork = assertThrows(
                LedgerRevertedException.class, () -> ledger.submitCheckpoint(5, TestKeys.hash("another root"), null));
        assertEquals(LedgerRevertedException.CONFLICTING_RECORD, fork.errorName());
        assertEquals(1, ledger.checkpointCount());
    }

    @Test
    void aRevertBecauseTheSameCheckpointLandedMeanwhileCountsAsSuccess() {
        AnchorReceipt landed = ledger.submitCheckpoint(7, TestKeys.hash("root-7"), null);
        // Simulate the race: the first "already on chain?" check misses the checkpoint (it landed
        // just after), so the send is attempted and the contract says TreeSizeNotIncreasing.
        AtomicInteger checks = new AtomicInteger();
        TransactionSender sender =
                new TransactionSender(web3j, Credentials.create(owner.privateKeyHex()), ledger.chainId(), settings);
        FhirAnchor encoder = FhirAnchor.load(
                ledger.contractAddress(),
                web3j,
                Credentials.create(owner.privateKeyHex()),
                new org.web3j.tx.gas.DefaultGasProvider());
        String data = encoder.checkpoint(
                        BigInteger.valueOf(7), TestKeys.hash("root-7"), BigInteger.ZERO, BigInteger.ZERO, new byte[0])
                .encodeFunctionCall();
        TransactionSender.Outcome outcome = sender.send(
                ledger.contractAddress(),
                data,
                () -> checks.getAndIncrement() == 0
                        ? Optional.empty()
                        : Optional.of(new AnchorReceipt(landed.txHash(), landed.blockNumber(), landed.gasUsed(), true)),
                "checkpoint 7 (race)");
        assertTrue(outcome.anchorReceipt().alreadyAnchored());
        assertEquals(landed.txHash(), outcome.anchorReceipt().txHash());
        assertEquals(1, ledger.checkpointCount());
    }

    @Test
    void anUnminedCheckpointTimesOutAndIsFoundAfterItLands() throws Exception {
        LedgerSettings impatient =
                settings.withReceiptTimeout(java.time.Duration.ofMillis(500)).withSendAttempts(2);
        try (Web3jLedger slow = Web3jLedger.connect(impatient, deployment.contractAddress(), owner.privateKeyHex())) {
            node.setAutomine(false);
            LedgerTimeoutException timeout;
            try {
                timeout = assertThrows(
                        LedgerTimeoutException.class, () -> slow.submitCheckpoint(12, TestKeys.hash("root-12"), null));
                assertEquals(0, ledger.checkpointCount()); // still in the pool, sent twice with one nonce
            } finally {
                node.setAutomine(true); // Anvil mines the pool when automine comes back
            }
            assertTrue(timeout.retryable());

            AnchorReceipt retry = slow.submitCheckpoint(12, TestKeys.hash("root-12"), null);
            assertTrue(retry.alreadyAnchored());
            assertEquals(timeout.txHash(), retry.txHash());
            assertEquals(1, ledger.checkpointCount());
            // The nonce was re-read after the timeout: the next checkpoint goes through.
            assertFalse(
                    slow.submitCheckpoint(13, TestKeys.hash("root-13"), null).alreadyAnchored());
        }
    }

    @Test
    void aReceiptThatArrivesDuringTheSecondAttemptCompletesTheCall() throws Exception {
        LedgerSettings impatient =
                settings.withReceiptTimeout(java.time.Duration.ofMillis(700)).withSendAttempts(3);
        try (Web3jLedger slow = Web3jLedger.connect(impatient, deployment.contractAddress(), owner.privateKeyHex())) {
            node.setAutomine(false);
            Thread miner = new Thread(() -> {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                node.setAutomine(true);
                node.mine();
            });
            miner.start();
            try {
                AnchorReceipt receipt = slow.submitCheckpoint(21, TestKeys.hash("root-21"), null);
                assertEquals(21, ledger.latestCheckpoint().orElseThrow().treeSize());
                assertEquals(
                        receipt.blockNumber(),
                        ledger.latestCheckpoint().orElseThrow().blockNumber());
            } finally {
                miner.join();
                node.setAutomine(true);
            }
            assertEquals(1, ledger.checkpointCount());
        }
    }

    @Test
    void aNonceTakenByAnotherProcessWithTheSameKeyIsRecoveredFrom() {
        try (Web3jLedger otherProcess =
                Web3jLedger.connect(settings, deployment.contractAddress(), owner.privateKeyHex())) {
            ledger.submitCheckpoint(1, TestKeys.hash("root-1"), null); // ledger now caches the next nonce
            otherProcess.submitCheckpoint(2, TestKeys.hash("root-2"), null); // ...which this one uses
            AnchorReceipt third = ledger.submitCheckpoint(3, TestKeys.hash("root-3"), null);
            assertFalse(third.alreadyAnchored());
            assertEquals(3, ledger.checkpointCount());
        }
    }

    @Test
    void nonWriterIsRejectedAndOwnerManagesWriters() {
        TestKeys other = TestKeys.fundedOn(node);
        try (Web3jLedger otherLedger =
                Web3jLedger.connect(settings, deployment.contractAddress(), other.privateKeyHex())) {
            LedgerRevertedException rejected = assertThrows(
                    LedgerRevertedException.class, () -> otherLedger.submitCheckpoint(1, TestKeys.hash("r"), null));
            assertEquals("NotWriter", rejected.errorName());
            assertEquals(
                    "NotOwner",
                    assertThrows(LedgerRevertedException.class, () -> otherLedger.addWriter(other.address()))
                            .errorName());

            ledger.addWriter(other.address());
            assertTrue(ledger.isWriter(other.address()));
            assertFalse(
                    otherLedger.submitCheckpoint(1, TestKeys.hash("r"), null).alreadyAnchored());

            ledger.removeWriter(other.address());
            assertFalse(ledger.isWriter(other.address()));
            assertEquals(
                    "NotWriter",
                    assertThrows(
                                    LedgerRevertedException.class,
                                    () -> otherLedger.submitCheckpoint(2, TestKeys.hash("r2"), null))
                            .errorName());

            // The owner is a writer only because the constructor added it: removing it sticks.
            ledger.removeWriter(owner.address());
            assertEquals(
                    "NotWriter",
                    assertThrows(
                                    LedgerRevertedException.class,
                                    () -> ledger.submitCheckpoint(2, TestKeys.hash("r2"), null))
                            .errorName());

            ledger.transferOwnership(other.address());
            assertEquals(other.address(), ledger.owner());
            assertEquals(
                    "NotOwner",
                    assertThrows(LedgerRevertedException.class, () -> ledger.addWriter(owner.address()))
                            .errorName());
            otherLedger.addWriter(owner.address());
            assertTrue(ledger.isWriter(owner.address()));
        }
    }

    @Test
    void archivesAreRecordedAsEvents() throws Exception {
        // A CIDv1 (raw, sha2-256) in binary: 0x01 0x55 0x12 0x20 + 32-byte digest = 36 bytes.
        byte[] cid = java.nio.ByteBuffer.allocate(36)
                .put(new byte[] {0x01, 0x55, 0x12, 0x20})
                .put(TestKeys.hash("encrypted bundle"))
                .array();
        AnchorReceipt withArchive = ledger.submitCheckpoint(4, TestKeys.hash("root-4"), new ArchiveRef(0, 4, cid));
        GasReport.record("checkpoint with archive CID (36-byte CIDv1)", withArchive.gasUsed());
        List<FhirAnchor.ArchivedEventResponse> events = FhirAnchor.getArchivedEvents(receipt(withArchive));
        assertEquals(1, events.size());
        assertEquals(BigInteger.ZERO, events.get(0).fromSize);
        assertEquals(BigInteger.valueOf(4), events.get(0).toSize);
        assertArrayEquals(cid, events.get(0).cid);

        AnchorReceipt plain = ledger.submitCheckpoint(9, TestKeys.hash("root-9"), null);
        assertEquals(0, FhirAnchor.getArchivedEvents(receipt(plain)).size());

        AnchorReceipt late = ledger.recordArchive(new ArchiveRef(4, 9, cid));
        GasReport.record("recordArchive (36-byte CIDv1)", late.gasUsed());
        assertEquals(
                BigInteger.valueOf(9),
                FhirAnchor.getArchivedEvents(receipt(late)).get(0).toSize);

        assertEquals(
                "InvalidArchiveRange",
                assertThrows(LedgerRevertedException.class, () -> ledger.recordArchive(new ArchiveRef(4, 10, cid)))
                        .errorName());
        assertThrows(IllegalArgumentException.class, () -> new ArchiveRef(5, 5, cid));
        assertThrows(IllegalArgumentException.class, () -> new ArchiveRef(0, 5, new byte[0]));
    }

    @Test
    void leavesAreAnchoredInIncreasingOrder() {
        AnchorReceipt first = ledger.anchorLeaf(0, TestKeys.hash("leaf-0"));
        AnchorReceipt second = ledger.anchorLeaf(1, TestKeys.hash("leaf-1"));
        GasReport.record("anchorLeaf, first", first.gasUsed());
        GasReport.record("anchorLeaf, subsequent", second.gasUsed());
        ledger.anchorLeaf(5, TestKeys.hash("leaf-5"));

        assertArrayEquals(TestKeys.hash("leaf-1"), ledger.leafAt(1).orElseThrow());
        assertEquals(Optional.empty(), ledger.leafAt(2));
        assertEquals(
                "LeafIndexNotIncreasing",
                assertThrows(LedgerRevertedException.class, () -> ledger.anchorLeaf(3, TestKeys.hash("leaf-3")))
                        .errorName());

        AnchorReceipt again = ledger.anchorLeaf(1, TestKeys.hash("leaf-1"));
        assertTrue(again.alreadyAnchored());
        assertEquals(second.txHash(), again.txHash());
        assertEquals(
                LedgerRevertedException.CONFLICTING_RECORD,
                assertThrows(LedgerRevertedException.class, () -> ledger.anchorLeaf(5, TestKeys.hash("other")))
                        .errorName());
    }

    @Test
    void consentDecisionsKeepTheLatestVersion() throws Exception {
        byte[] consentKey = TestKeys.hash("hmac(consent/42)");
        ConsentDecision v1 = decision(consentKey, 1, "decision v1", true, ConsentStatus.ACTIVE, 1);
        AnchorReceipt first = ledger.recordConsentDecision(v1);
        GasReport.record("recordConsentDecision, first (1 grantee, 1 purpose)", first.gasUsed());
        OnChainConsentDecision latest = ledger.latestConsentDecision(consentKey).orElseThrow();
        assertTrue(latest.matches(v1));
        assertTrue(latest.permit());
        assertEquals(ConsentStatus.ACTIVE, latest.status());
        assertEquals(1_700_000_000L, latest.periodStart());
        assertEquals(1_800_000_000L, latest.periodEnd());
        assertEquals(first.blockNumber(), latest.blockNumber());

        var events = FhirAnchor.getConsentDecisionRecordedEvents(receipt(first));
        assertEquals(1, events.size());
        assertArrayEquals(v1.patientKey(), events.get(0).patientKey);
        assertEquals(1, events.get(0).granteeKeys.size());

        ConsentDecision v2 = decision(consentKey, 2, "decision v2", false, ConsentStatus.INACTIVE, 3);
        AnchorReceipt second = ledger.recordConsentDecision(v2);
        GasReport.record("recordConsentDecision, update (3 grantees, 3 purposes)", second.gasUsed());
        assertTrue(ledger.latestConsentDecision(consentKey).orElseThrow().matches(v2));
        assertFalse(ledger.latestConsentDecision(consentKey).orElseThrow().permit());

        assertTrue(ledger.recordConsentDecision(v2).alreadyAnchored());
        ConsentDecision stale = decision(consentKey, 2, "a different v2", true, ConsentStatus.ACTIVE, 1);
        assertEquals(
                "ConsentVersionNotIncreasing",
                assertThrows(LedgerRevertedException.class, () -> ledger.recordConsentDecision(stale))
                        .errorName());
        assertEquals(Optional.empty(), ledger.latestConsentDecision(TestKeys.hash("unknown consent")));

        // A superseded version is read back from its event, the latest from storage.
        OnChainConsentDecision old = ledger.consentDecision(consentKey, 1).orElseThrow();
        assertTrue(old.matches(v1));
        assertTrue(old.permit());
        assertEquals(first.blockNumber(), old.blockNumber());
        assertTrue(ledger.consentDecision(consentKey, 2).orElseThrow().matches(v2));
        assertEquals(Optional.empty(), ledger.consentDecision(consentKey, 3));
        assertEquals(Optional.empty(), ledger.consentDecision(TestKeys.hash("unknown consent"), 1));
    }

    /**
     * Gas per consent decision, one transaction each (before issue 19) against one transaction per
     * interval (recordConsentDecisions): same storage, same events, read back the same way.
     */
    @Test
    void consentDecisionsBatchedInOneTransactionCostLessPerDecision() {
        int n = 10;
        long single = 0;
        for (int i = 0; i < n; i++) {
            single += ledger.recordConsentDecision(decision(
                            TestKeys.hash("hmac(consent/single-" + i + ")"),
                            1,
                            "single " + i,
                            true,
                            ConsentStatus.ACTIVE,
                            1))
                    .gasUsed();
        }
        List<ConsentDecision> batch = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(decision(
                    TestKeys.hash("hmac(consent/batch-" + i + ")"),
                    1,
                    "batch " + i,
                    i % 2 == 0,
                    ConsentStatus.ACTIVE,
                    1));
        }
        AnchorReceipt batched = ledger.recordConsentDecisions(batch);
        GasReport.record("recordConsentDecision, first, one tx each: per decision", single / n);
        GasReport.record("recordConsentDecisions, first, 10 in one tx: per decision", batched.gasUsed() / n);
        System.out.printf(
                "Gas per consent decision (first for its consent, 1 grantee, 1 purpose): one transaction each %,d;"
                        + " %d in one transaction %,d%n",
                single / n, n, batched.gasUsed() / n);
        assertTrue(batched.gasUsed() / n < single / n);
        for (ConsentDecision d : batch) {
            OnChainConsentDecision onChain =
                    ledger.latestConsentDecision(d.consentKey()).orElseThrow();
            assertTrue(onChain.matches(d));
            assertEquals(batched.blockNumber(), onChain.blockNumber());
        }

        // Versions of one consent in one batch, in order; the superseded one is read back from its event.
        byte[] key = TestKeys.hash("hmac(consent/batched-versions)");
        ConsentDecision v1 = decision(key, 1, "v1", true, ConsentStatus.ACTIVE, 2);
        ConsentDecision v2 = decision(key, 2, "v2", false, ConsentStatus.INACTIVE, 3);
        AnchorReceipt both = ledger.recordConsentDecisions(List.of(v1, v2));
        GasReport.record("recordConsentDecisions, v1 + v2 of one consent in one tx", both.gasUsed());
        assertTrue(ledger.consentDecision(key, 1).orElseThrow().matches(v1));
        assertTrue(ledger.latestConsentDecision(key).orElseThrow().matches(v2));
        assertTrue(ledger.recordConsentDecisions(List.of(v1, v2)).alreadyAnchored(), "a retry sends nothing");

        // One refused decision refuses the whole batch: nothing of it is recorded.
        byte[] fresh = TestKeys.hash("hmac(consent/never)");
        ConsentDecision ok = decision(fresh, 1, "ok", true, ConsentStatus.ACTIVE, 1);
        ConsentDecision stale = decision(key, 2, "a different v2", true, ConsentStatus.ACTIVE, 1);
        assertEquals(
                "ConsentVersionNotIncreasing",
                assertThrows(LedgerRevertedException.class, () -> ledger.recordConsentDecisions(List.of(ok, stale)))
                        .errorName());
        assertEquals(Optional.empty(), ledger.latestConsentDecision(fresh));
    }

    @Test
    void codeCheckAcceptsOurContractAndRefusesOthers() {
        try (Web3jLedger reader = Web3jLedger.readOnly(settings, deployment.contractAddress())) {
            assertEquals(deployment.contractAddress(), reader.contractAddress());
            assertThrows(
                    UnsupportedOperationException.class, () -> reader.submitCheckpoint(1, TestKeys.hash("r"), null));
        }
        // A contract whose runtime code just returns 42.
        TransactionSender sender =
                new TransactionSender(web3j, Credentials.create(owner.privateKeyHex()), ledger.chainId(), settings);
        TransactionReceipt other = sender.send(
                        null,
                        "0x600a600c600039600a6000f3602a60005260206000f3",
                        Optional::empty,
                        "deploy another contract")
                .receiptOrNull();
        assertThrows(ContractMismatchException.class, () -> Web3jLedger.readOnly(settings, other.getContractAddress()));
        assertThrows(
                ContractMismatchException.class,
                () -> Web3jLedger.connect(settings, owner.address(), owner.privateKeyHex()));
    }

    private static ConsentDecision decision(
            byte[] consentKey, long version, String what, boolean permit, ConsentStatus status, int parties) {
        List<byte[]> grantees = java.util.stream.IntStream.range(0, parties)
                .mapToObj(i -> TestKeys.hash("hmac(grantee " + i + ")"))
                .toList();
        List<byte[]> purposes = java.util.stream.IntStream.range(0, parties)
                .mapToObj(i -> TestKeys.hash("purpose " + i))
                .toList();
        return new ConsentDecision(
                consentKey,
                version,
                TestKeys.hash(what),
                TestKeys.hash("hmac(patient 7)"),
                grantees,
                purposes,
                permit,
                status,
                1_700_000_000L,
                1_800_000_000L);
    }

    private TransactionReceipt receipt(AnchorReceipt anchored) throws Exception {
        return web3j.ethGetTransactionReceipt(anchored.txHash())
                .send()
                .getTransactionReceipt()
                .orElseThrow();
    }
}
