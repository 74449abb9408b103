package org.fhiranchor.anchor.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ValueTypesTest {
    private static final byte[] H = TestKeys.hash("h");

    @Test
    void hashesMustBe32BytesAndAreCopied() {
        assertThrows(IllegalArgumentException.class, () -> new OnChainCheckpoint(1, new byte[31], 1, 1));
        byte[] root = H.clone();
        OnChainCheckpoint checkpoint = new OnChainCheckpoint(1, root, 2, 3);
        root[0] ^= 1;
        assertArrayEquals(H, checkpoint.root());
        assertEquals(new OnChainCheckpoint(1, H, 2, 3), checkpoint);
    }

    @Test
    void consentDecisionsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> decision(0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> decision(1, 10, 5));
        assertEquals(0, decision(1, 10, 0).periodEnd()); // open end
        assertThrows(
                IllegalArgumentException.class,
                () -> new ConsentDecision(
                        H, 1, H, H, List.of(new byte[3]), List.of(), true, ConsentStatus.ACTIVE, 0, 0));
    }

    @Test
    void consentStatusCodesAreStable() {
        // These numbers are on chain: changing them would change the meaning of recorded decisions.
        assertEquals(0, ConsentStatus.DRAFT.onChainCode());
        assertEquals(2, ConsentStatus.ACTIVE.onChainCode());
        assertEquals(5, ConsentStatus.ENTERED_IN_ERROR.onChainCode());
        assertEquals(ConsentStatus.INACTIVE, ConsentStatus.fromFhirCode("inactive"));
        assertEquals(ConsentStatus.REJECTED, ConsentStatus.fromOnChainCode(3));
    }

    @Test
    void settingsRejectNonsense() {
        assertThrows(IllegalArgumentException.class, () -> LedgerSettings.forUrl(" "));
        assertThrows(
                IllegalArgumentException.class,
                () -> LedgerSettings.forUrl("http://127.0.0.1:1").withConfirmations(0));
    }

    private static ConsentDecision decision(long version, long start, long end) {
        return new ConsentDecision(H, version, H, H, List.of(H), List.of(H), true, ConsentStatus.ACTIVE, start, end);
    }
}
