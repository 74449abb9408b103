package org.fhiranchor.anchor.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The fake follows the contract's rules, so code tested against it behaves the same on chain. */
class InMemoryLedgerTest {
    private final InMemoryLedger ledger = new InMemoryLedger();

    @Test
    void checkpointsFollowTheContractRules() {
        AnchorReceipt first = ledger.submitCheckpoint(3, TestKeys.hash("r3"), null);
        assertFalse(first.alreadyAnchored());
        AnchorReceipt retry = ledger.submitCheckpoint(3, TestKeys.hash("r3"), null);
        assertTrue(retry.alreadyAnchored());
        assertEquals(first.txHash(), retry.txHash());
        assertEquals(
                "TreeSizeNotIncreasing",
                assertThrows(LedgerRevertedException.class, () -> ledger.submitCheckpoint(2, TestKeys.hash("r2"), null))
                        .errorName());
        assertEquals(
                LedgerRevertedException.CONFLICTING_RECORD,
                assertThrows(
                                LedgerRevertedException.class,
                                () -> ledger.submitCheckpoint(3, TestKeys.hash("other"), null))
                        .errorName());
        ledger.submitCheckpoint(8, TestKeys.hash("r8"), new ArchiveRef(3, 8, new byte[] {1}));
        assertEquals(8, ledger.latestCheckpoint().orElseThrow().treeSize());
        assertEquals(2, ledger.checkpointCount());
        assertEquals(1, ledger.archives().size());
        assertEquals(1, ledger.confirmations(ledger.blockNumber()));
    }

    @Test
    void leavesAndConsentsFollowTheContractRules() {
        ledger.anchorLeaf(4, TestKeys.hash("l4"));
        assertTrue(ledger.anchorLeaf(4, TestKeys.hash("l4")).alreadyAnchored());
        assertEquals(
                "LeafIndexNotIncreasing",
                assertThrows(LedgerRevertedException.class, () -> ledger.anchorLeaf(2, TestKeys.hash("l2")))
                        .errorName());

        byte[] key = TestKeys.hash("consent");
        ConsentDecision v1 = new ConsentDecision(
                key,
                1,
                TestKeys.hash("d1"),
                TestKeys.hash("p"),
                List.of(),
                List.of(),
                true,
                ConsentStatus.ACTIVE,
                0,
                0);
        ledger.recordConsentDecision(v1);
        assertTrue(ledger.recordConsentDecision(v1).alreadyAnchored());
        ConsentDecision otherV1 = new ConsentDecision(
                key,
                1,
                TestKeys.hash("d1'"),
                TestKeys.hash("p"),
                List.of(),
                List.of(),
                false,
                ConsentStatus.ACTIVE,
                0,
                0);
        assertEquals(
                "ConsentVersionNotIncreasing",
                assertThrows(LedgerRevertedException.class, () -> ledger.recordConsentDecision(otherV1))
                        .errorName());
        assertTrue(ledger.latestConsentDecision(key).orElseThrow().matches(v1));

        ConsentDecision v2 = new ConsentDecision(
                key,
                2,
                TestKeys.hash("d2"),
                TestKeys.hash("p"),
                List.of(),
                List.of(),
                false,
                ConsentStatus.INACTIVE,
                0,
                0);
        ledger.recordConsentDecision(v2);
        assertTrue(ledger.consentDecision(key, 1).orElseThrow().matches(v1));
        assertTrue(ledger.consentDecision(key, 2).orElseThrow().matches(v2));
        assertTrue(ledger.consentDecision(key, 3).isEmpty());
    }
}
