package org.fhiranchor.anchor.chain;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Anvil going away and coming back: state files, and what the ledger reports meanwhile. */
class AnvilRestartTest {
    @TempDir
    Path dir;

    private AnvilNode node;

    @AfterEach
    void stopNode() {
        if (node != null) {
            node.stop();
        }
    }

    @Test
    void checkpointsSurviveARestartWithAStateFile() {
        Path state = dir.resolve("anvil-state.json");
        AnvilNode.Options options = AnvilNode.Options.defaults()
                .withChainId(1337)
                .withState(state, 1)
                .withLogFile(dir.resolve("anvil.log"));
        node = AnvilNode.start(options);
        TestKeys owner = TestKeys.fundedOn(node);
        LedgerSettings settings = LedgerSettings.forUrl(node.rpcUrl());
        Deployment deployment = Web3jLedger.deploy(settings, owner.privateKeyHex());
        try (Web3jLedger ledger = Web3jLedger.connect(settings, deployment.contractAddress(), owner.privateKeyHex())) {
            ledger.submitCheckpoint(2, TestKeys.hash("root-2"), null);
            ledger.submitCheckpoint(6, TestKeys.hash("root-6"), null);
        }

        node.stop(); // SIGTERM: Anvil writes the state file
        assertTrue(Files.exists(state), "state file written on SIGTERM");
        node = AnvilNode.start(options.withPort(node.port()));

        try (Web3jLedger ledger = Web3jLedger.connect(settings, deployment.contractAddress(), owner.privateKeyHex())) {
            assertEquals(1337, ledger.chainId());
            assertEquals(2, ledger.checkpointCount());
            assertArrayEquals(
                    TestKeys.hash("root-6"),
                    ledger.checkpointBySize(6).orElseThrow().root());
            // The nonce comes from the restored chain, so writing goes on where it stopped.
            assertFalse(
                    ledger.submitCheckpoint(9, TestKeys.hash("root-9"), null).alreadyAnchored());
            assertEquals(3, ledger.checkpointCount());
        }
    }

    @Test
    void aStateIntervalKeepsCheckpointsThroughAKill() throws Exception {
        Path state = dir.resolve("interval-state.json");
        AnvilNode.Options options = AnvilNode.Options.defaults().withState(state, 1);
        node = AnvilNode.start(options);
        TestKeys owner = TestKeys.fundedOn(node);
        LedgerSettings settings = LedgerSettings.forUrl(node.rpcUrl());
        Deployment deployment = Web3jLedger.deploy(settings, owner.privateKeyHex());
        try (Web3jLedger ledger = Web3jLedger.connect(settings, deployment.contractAddress(), owner.privateKeyHex())) {
            ledger.submitCheckpoint(5, TestKeys.hash("root-5"), null);
        }
        // Let a whole interval save pass after the checkpoint: one that starts after it, seen to be over when the
        // next one starts.
        java.nio.file.attribute.FileTime submitted = java.nio.file.attribute.FileTime.from(java.time.Instant.now());
        await("a state save after the checkpoint")
                .atMost(Duration.ofSeconds(30))
                .until(() -> savedAfter(state, submitted));
        java.nio.file.attribute.FileTime firstSave = java.nio.file.Files.getLastModifiedTime(state);
        await("the next state save").atMost(Duration.ofSeconds(30)).until(() -> savedAfter(state, firstSave));
        node.kill(); // SIGKILL: no save on exit
        node = AnvilNode.start(options.withPort(node.port()));
        try (Web3jLedger reader = Web3jLedger.readOnly(settings, deployment.contractAddress())) {
            assertArrayEquals(
                    TestKeys.hash("root-5"),
                    reader.checkpointBySize(5).orElseThrow().root());
        }
    }

    @Test
    void aStoppedNodeIsReportedAsUnavailableAndTheLedgerRecoversAfterARestart() {
        Path state = dir.resolve("state.json");
        AnvilNode.Options options = AnvilNode.Options.defaults().withState(state, 1);
        node = AnvilNode.start(options);
        TestKeys owner = TestKeys.fundedOn(node);
        LedgerSettings settings = LedgerSettings.forUrl(node.rpcUrl())
                .withReceiptTimeout(Duration.ofSeconds(2))
                .withSendAttempts(2);
        Deployment deployment = Web3jLedger.deploy(settings, owner.privateKeyHex());

        try (Web3jLedger ledger = Web3jLedger.connect(settings, deployment.contractAddress(), owner.privateKeyHex())) {
            ledger.submitCheckpoint(1, TestKeys.hash("root-1"), null);
            int port = node.port();
            node.stop();

            LedgerUnavailableException read = assertThrows(LedgerUnavailableException.class, ledger::latestCheckpoint);
            assertTrue(read.retryable());
            LedgerUnavailableException write = assertThrows(
                    LedgerUnavailableException.class, () -> ledger.submitCheckpoint(2, TestKeys.hash("root-2"), null));
            assertTrue(write.getMessage().contains("unreachable"), write.getMessage());

            node = AnvilNode.start(options.withPort(port));
            assertEquals(1, ledger.latestCheckpoint().orElseThrow().treeSize());
            assertFalse(
                    ledger.submitCheckpoint(2, TestKeys.hash("root-2"), null).alreadyAnchored());
            assertEquals(2, ledger.checkpointCount());
        }
    }

    @Test
    void anvilWithBlockTimeReachesSeveralConfirmations() {
        node = AnvilNode.start(AnvilNode.Options.defaults().withBlockTime(1));
        TestKeys owner = TestKeys.fundedOn(node);
        LedgerSettings settings =
                LedgerSettings.forUrl(node.rpcUrl()).withConfirmations(2).withReceiptTimeout(Duration.ofSeconds(10));
        Deployment deployment = Web3jLedger.deploy(settings, owner.privateKeyHex());
        try (Web3jLedger ledger = Web3jLedger.connect(settings, deployment.contractAddress(), owner.privateKeyHex())) {
            AnchorReceipt receipt = ledger.submitCheckpoint(4, TestKeys.hash("root-4"), null);
            assertTrue(ledger.confirmations(receipt.blockNumber()) >= 2);
        }
    }

    @Test
    void startingOnATakenPortFails() {
        node = AnvilNode.start(AnvilNode.Options.defaults());
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> AnvilNode.start(AnvilNode.Options.defaults().withPort(node.port()))
                        .close());
        assertTrue(e.getMessage().contains("in use"), e.getMessage());
    }

    private static boolean savedAfter(Path state, java.nio.file.attribute.FileTime time) throws java.io.IOException {
        return java.nio.file.Files.exists(state)
                && java.nio.file.Files.getLastModifiedTime(state).compareTo(time) > 0;
    }
}
