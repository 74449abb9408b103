package org.fhiranchor.anchor.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FeePolicyTest {
    private static final BigInteger GWEI = BigInteger.valueOf(1_000_000_000L);

    @Test
    void eip1559OfferIsTwiceTheBaseFeePlusTheTipWithinTheCaps() {
        FeePolicy uncapped = FeePolicy.defaults();
        FeePolicy.Offer offer = uncapped.initial(gwei(10), gwei(2));
        assertEquals(gwei(22), offer.maxFee());
        assertEquals(gwei(2), offer.maxPriorityFee());

        FeePolicy capped = uncapped.withCaps(gwei(15), gwei(1));
        FeePolicy.Offer low = capped.initial(gwei(10), gwei(2));
        assertEquals(gwei(15), low.maxFee());
        assertEquals(gwei(1), low.maxPriorityFee());
    }

    @Test
    void legacyChainsGetTheGasPriceWithinTheCap() {
        FeePolicy.Offer offer = FeePolicy.defaults().withCaps(gwei(5), null).initial(null, gwei(7));
        assertTrue(offer.legacy());
        assertEquals(gwei(5), offer.maxFee());
        FeePolicy.Offer bumped = FeePolicy.defaults().initial(null, gwei(7));
        assertEquals(
                BigInteger.valueOf(7_910_000_000L),
                FeePolicy.defaults().bump(bumped, null).maxFee());
    }

    @Test
    void aReplacementRaisesBothFeesByAtLeastTenPercentOrIsNotMade() {
        FeePolicy policy = FeePolicy.defaults().withCaps(gwei(30), gwei(3));
        FeePolicy.Offer first = policy.initial(gwei(10), gwei(2));
        FeePolicy.Offer second = policy.bump(first, gwei(10));
        assertTrue(second.maxFee()
                        .multiply(BigInteger.TEN)
                        .compareTo(first.maxFee().multiply(BigInteger.valueOf(11)))
                >= 0);
        assertTrue(second.maxPriorityFee()
                        .multiply(BigInteger.TEN)
                        .compareTo(first.maxPriorityFee().multiply(BigInteger.valueOf(11)))
                >= 0);
        // The tip cap (3 gwei) leaves no room for another 10 %: no replacement, only a re-broadcast.
        FeePolicy.Offer third = policy.bump(second, gwei(10));
        FeePolicy.Offer fourth = third == null ? null : policy.bump(third, gwei(10));
        assertNull(fourth);
        assertTrue((third == null ? second : third).maxPriorityFee().compareTo(gwei(3)) <= 0);
    }

    @Test
    void aBumpBelowTheNodesMinimumIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FeePolicy(null, null, Duration.ofSeconds(1), 5));
        assertThrows(
                IllegalArgumentException.class, () -> new FeePolicy(BigInteger.ZERO, null, Duration.ofSeconds(1), 10));
    }

    private static BigInteger gwei(long value) {
        return GWEI.multiply(BigInteger.valueOf(value));
    }
}
