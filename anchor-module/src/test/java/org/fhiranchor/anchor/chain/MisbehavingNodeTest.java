package org.fhiranchor.anchor.chain;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.http.HttpService;

/**
 * The ledger against an Anvil that misbehaves the way a public network does, driven through
 * Anvil's own controls: a pending transaction dropped from the pool, a base fee that jumps above
 * what a transaction offered, a reorganisation (evm_snapshot / evm_revert), and a remote signer
 * (Anvil's eth_signTransaction for its unlocked accounts).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MisbehavingNodeTest {
    /** Anvil's first dev account, unlocked on the node: the remote signer's key never enters this JVM. */
    private static final String ANVIL_ACCOUNT_0 = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";

    private AnvilNode node;
    private Web3j web3j;
    private TestKeys owner;
    private LedgerSettings settings;
    private Web3jLedger ledger;

    @BeforeAll
    void startNode() {
        node = AnvilNode.start(AnvilNode.Options.defaults());
        web3j = Web3j.build(new HttpService(node.rpcUrl()));
        owner = TestKeys.fundedOn(node);
        // Replace (or re-broadcast) after half a second, give up after 20 s.
        settings = LedgerSettings.forUrl(node.rpcUrl())
                .withReceiptTimeout(Duration.ofSeconds(20))
                .withSendAttempts(1)
                .withFees(FeePolicy.defaults().withReplaceAfter(Duration.ofMillis(500)));
    }

    @AfterAll
    void stopNode() {
        if (web3j != null) {
            web3j.shutdown();
        }
        if (node != null) {
            node.stop();
        }
    }

    @BeforeEach
    void deploy() {
        node.setAutomine(true);
        ledger = Web3jLedger.connect(
                settings, Web3jLedger.deploy(settings, owner.privateKeyHex()).contractAddress(), owner.privateKeyHex());
    }

    @AfterEach
    void close() {
        node.setAutomine(true);
        ledger.close();
    }

    @Test
    void aPendingTransactionTheNodeDroppedIsSentAgain() throws Exception {
        long nonceBefore = nonce(DefaultBlockParameterName.LATEST);
        node.setAutomine(false);
        CompletableFuture<AnchorReceipt> sent =
                CompletableFuture.supplyAsync(() -> ledger.submitCheckpoint(6, TestKeys.hash("root-6"), null));
        awaitPendingNonce(nonceBefore + 1);
        node.dropAllTransactions();
        assertEquals(nonceBefore, nonce(DefaultBlockParameterName.PENDING), "the pool lost the checkpoint");
        node.setAutomine(true);
        node.mine();

        AnchorReceipt receipt = sent.get(60, TimeUnit.SECONDS);
        assertFalse(receipt.alreadyAnchored());
        assertEquals(1, ledger.checkpointCount());
        assertEquals(6, ledger.latestCheckpoint().orElseThrow().treeSize());
        assertEquals(nonceBefore + 1, nonce(DefaultBlockParameterName.LATEST), "one transaction, one nonce");
    }

    @Test
    void aStuckTransactionIsReplacedWithTheSameNonceAndAHigherFeeWithinTheCap() throws Exception {
        BigInteger cap = BigInteger.TEN.pow(12); // 1,000 gwei
        try (Web3jLedger capped = Web3jLedger.connect(
                settings.withFees(settings.fees().withCaps(cap, cap)),
                ledger.contractAddress(),
                owner.privateKeyHex())) {
            long nonceBefore = nonce(DefaultBlockParameterName.LATEST);
            // What the first transaction offers at most: twice the base fee plus the node's tip.
            BigInteger offered = latestBaseFee()
                    .shiftLeft(1)
                    .add(web3j.ethMaxPriorityFeePerGas().send().getMaxPriorityFeePerGas());
            node.setAutomine(false);
            CompletableFuture<AnchorReceipt> sent =
                    CompletableFuture.supplyAsync(() -> capped.submitCheckpoint(8, TestKeys.hash("root-8"), null));
            awaitPendingNonce(nonceBefore + 1);
            // The base fee jumps to three times that: the pending transaction cannot be mined.
            BigInteger high = offered.multiply(BigInteger.valueOf(3));
            node.setNextBlockBaseFee(high);
            node.mine();
            assertEquals(nonceBefore, nonce(DefaultBlockParameterName.LATEST), "priced out of the block");
            node.setAutomine(true);

            AnchorReceipt receipt = sent.get(60, TimeUnit.SECONDS);
            Transaction mined = web3j.ethGetTransactionByHash(receipt.txHash())
                    .send()
                    .getTransaction()
                    .orElseThrow();
            assertEquals(BigInteger.valueOf(nonceBefore), mined.getNonce(), "replaced with the same nonce");
            assertTrue(mined.getMaxFeePerGas().compareTo(offered) > 0, "with a higher fee");
            assertTrue(mined.getMaxFeePerGas().compareTo(cap) <= 0, "within the cap");
            assertEquals(1, capped.checkpointCount());
            assertEquals(nonceBefore + 1, nonce(DefaultBlockParameterName.LATEST), "no second checkpoint transaction");
        }
    }

    @Test
    void aFeeCapBelowTheBaseFeeIsNeverExceededAndTheCheckpointLandsOnceFeesFall() throws Exception {
        BigInteger base = latestBaseFee();
        BigInteger cap = base.multiply(BigInteger.valueOf(4)).add(BigInteger.valueOf(2_000_000_000L));
        LedgerSettings patient = settings.withReceiptTimeout(Duration.ofSeconds(3))
                .withFees(settings.fees().withCaps(cap, BigInteger.valueOf(1_000_000_000L)));
        try (Web3jLedger capped = Web3jLedger.connect(patient, ledger.contractAddress(), owner.privateKeyHex())) {
            long nonceBefore = nonce(DefaultBlockParameterName.LATEST);
            node.setAutomine(false);
            CompletableFuture<AnchorReceipt> sent =
                    CompletableFuture.supplyAsync(() -> capped.submitCheckpoint(9, TestKeys.hash("root-9"), null));
            awaitPendingNonce(nonceBefore + 1);
            node.setNextBlockBaseFee(cap.multiply(BigInteger.TWO));
            node.mine();
            node.setAutomine(true);
            Exception failure = assertThrows(Exception.class, () -> sent.get(60, TimeUnit.SECONDS));
            LedgerTimeoutException timeout = (LedgerTimeoutException) failure.getCause();
            // Anvil evicts a transaction priced below the base fee; a node that keeps it must show it within the cap.
            web3j.ethGetTransactionByHash(timeout.txHash())
                    .send()
                    .getTransaction()
                    .ifPresent(last -> assertTrue(last.getMaxFeePerGas().compareTo(cap) <= 0, "never above the cap"));
            assertEquals(0, capped.checkpointCount());
            assertEquals(
                    nonceBefore, nonce(DefaultBlockParameterName.LATEST), "nothing mined at a price above the cap");

            // Fees fall again: the retry lands, once.
            node.setNextBlockBaseFee(base);
            node.mine();
            capped.submitCheckpoint(9, TestKeys.hash("root-9"), null);
            assertEquals(1, capped.checkpointCount());
            assertEquals(nonceBefore + 1, nonce(DefaultBlockParameterName.LATEST));
        }
    }

    @Test
    void aCheckpointWhoseBlockWasReorganisedAwayIsGoneAndCanBeSentAgain() {
        ledger.submitCheckpoint(3, TestKeys.hash("root-3"), null);
        String snapshot = node.snapshot();
        AnchorReceipt lost = ledger.submitCheckpoint(7, TestKeys.hash("root-7"), null);
        assertTrue(node.revert(snapshot));

        assertTrue(ledger.checkpointBySize(7).isEmpty(), "the reorganisation removed checkpoint 7");
        AnchorReceipt again = ledger.submitCheckpoint(7, TestKeys.hash("root-7"), null);
        assertFalse(again.alreadyAnchored());
        assertEquals(lost.txHash(), again.txHash(), "same nonce, same fees, same signed bytes");
        assertEquals(2, ledger.checkpointCount());
    }

    @Test
    void aContractWhoseDeploymentWasReorganisedAwayIsReportedAsMissing() {
        String snapshot = node.snapshot();
        try (Web3jLedger fresh = Web3jLedger.connect(
                settings,
                Web3jLedger.deploy(settings, owner.privateKeyHex()).contractAddress(),
                owner.privateKeyHex())) {
            fresh.submitCheckpoint(6, TestKeys.hash("root-6"), null);
            assertTrue(node.revert(snapshot));
            ContractMismatchException missing =
                    assertThrows(ContractMismatchException.class, () -> fresh.checkpointBySize(6));
            assertTrue(missing.codeMissing());
            assertThrows(ContractMismatchException.class, fresh::latestCheckpoint);
            assertThrows(ContractMismatchException.class, fresh::checkpointCount);
        }
    }

    @Test
    void aRemoteSignerSignsAndTheWriterKeyRotatesToIt() {
        RemoteSigner remote = new RemoteSigner(node.rpcUrl(), ANVIL_ACCOUNT_0);
        try (Web3jLedger viaSigner = Web3jLedger.connect(settings, ledger.contractAddress(), remote)) {
            // Before rotation the remote signer's account is not a writer.
            LedgerRevertedException refused = assertThrows(
                    LedgerRevertedException.class, () -> viaSigner.submitCheckpoint(4, TestKeys.hash("root-4"), null));
            assertEquals("NotWriter", refused.errorName());

            // Rotation: the owner adds the new writer, the new writer anchors, the owner removes the old one.
            ledger.submitCheckpoint(2, TestKeys.hash("root-2"), null);
            ledger.addWriter(ANVIL_ACCOUNT_0);
            AnchorReceipt signedRemotely = viaSigner.submitCheckpoint(4, TestKeys.hash("root-4"), null);
            assertFalse(signedRemotely.alreadyAnchored());
            ledger.removeWriter(owner.address());
            assertFalse(ledger.isWriter(owner.address()));
            assertEquals(
                    "NotWriter",
                    assertThrows(
                                    LedgerRevertedException.class,
                                    () -> ledger.submitCheckpoint(5, TestKeys.hash("root-5"), null))
                            .errorName());
            assertEquals(4, viaSigner.latestCheckpoint().orElseThrow().treeSize());
            assertEquals(owner.address(), ledger.owner(), "ownership is a separate key and stays");
        }
        // A remote signer can also deploy: its account owns the new contract.
        Deployment deployed = Web3jLedger.deploy(settings, remote);
        try (Web3jLedger reader = Web3jLedger.readOnly(settings, deployed.contractAddress())) {
            assertEquals(ANVIL_ACCOUNT_0, reader.owner());
        }
    }

    private long nonce(DefaultBlockParameterName block) throws Exception {
        return web3j.ethGetTransactionCount(owner.address(), block)
                .send()
                .getTransactionCount()
                .longValueExact();
    }

    private void awaitPendingNonce(long expected) {
        await("the transaction in the pool")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> nonce(DefaultBlockParameterName.PENDING) >= expected);
    }

    private BigInteger latestBaseFee() throws Exception {
        return web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
                .send()
                .getBlock()
                .getBaseFeePerGas();
    }
}
