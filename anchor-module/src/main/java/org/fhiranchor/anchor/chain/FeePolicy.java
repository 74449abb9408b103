package org.fhiranchor.anchor.chain;

import java.math.BigInteger;
import java.time.Duration;

/**
 * What a writer is willing to pay, and when it replaces a transaction that is not mined.
 *
 * <p>On a chain whose blocks carry a base fee (EIP-1559) a transaction offers a priority fee (the
 * tip) of {@code min(node's suggestion, maxPriorityFeePerGas)} and a max fee of
 * {@code min(2 x base fee + tip, maxFeePerGas)}. On a chain without a base fee it offers the
 * node's {@code eth_gasPrice}, at most {@code maxFeePerGas}. A transaction that has no receipt
 * {@code replaceAfter} after it was sent is sent again with the same nonce and every fee raised by
 * {@code bumpPercent} (at least 10 %, the minimum geth and Anvil accept for a replacement), never
 * above the caps; once at the caps the same signed transaction is only re-broadcast (which also
 * brings back a transaction the node dropped).
 *
 * @param maxFeePerGas cap on the max fee (or the legacy gas price) in wei; null means no cap
 * @param maxPriorityFeePerGas cap on the tip in wei; null means the node's suggestion, uncapped
 * @param replaceAfter how long a sent transaction may stay unmined before it is replaced or re-broadcast
 * @param bumpPercent fee increase per replacement, 10 to 100
 */
public record FeePolicy(
        BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas, Duration replaceAfter, int bumpPercent) {

    /** The minimum fee increase geth and Anvil require of a replacement ("replacement transaction underpriced"). */
    public static final int MIN_BUMP_PERCENT = 10;

    public FeePolicy {
        if (maxFeePerGas != null && maxFeePerGas.signum() <= 0) {
            throw new IllegalArgumentException("maxFeePerGas must be positive");
        }
        if (maxPriorityFeePerGas != null && maxPriorityFeePerGas.signum() < 0) {
            throw new IllegalArgumentException("maxPriorityFeePerGas must not be negative");
        }
        if (replaceAfter == null || replaceAfter.isNegative() || replaceAfter.isZero()) {
            throw new IllegalArgumentException("replaceAfter must be positive");
        }
        if (bumpPercent < MIN_BUMP_PERCENT || bumpPercent > 100) {
            throw new IllegalArgumentException("bumpPercent must be between 10 and 100, got " + bumpPercent);
        }
    }

    /** No caps, replacement after 30 s with a 12.5 % bump (geth's own default for its resends). */
    public static FeePolicy defaults() {
        return new FeePolicy(null, null, Duration.ofSeconds(30), 13);
    }

    public FeePolicy withCaps(BigInteger maxFee, BigInteger maxPriorityFee) {
        return new FeePolicy(maxFee, maxPriorityFee, replaceAfter, bumpPercent);
    }

    public FeePolicy withReplaceAfter(Duration value) {
        return new FeePolicy(maxFeePerGas, maxPriorityFeePerGas, value, bumpPercent);
    }

    /** One offer: legacy ({@code maxPriorityFee} null, {@code maxFee} is the gas price) or EIP-1559. */
    record Offer(BigInteger maxFee, BigInteger maxPriorityFee) {
        boolean legacy() {
            return maxPriorityFee == null;
        }
    }

    /** The first offer for a block whose base fee is {@code baseFeeOrNull} (null: a legacy chain). */
    Offer initial(BigInteger baseFeeOrNull, BigInteger suggestedTipOrGasPrice) {
        if (baseFeeOrNull == null) {
            return new Offer(cap(suggestedTipOrGasPrice, maxFeePerGas), null);
        }
        BigInteger tip = cap(suggestedTipOrGasPrice, maxPriorityFeePerGas);
        BigInteger maxFee = cap(baseFeeOrNull.shiftLeft(1).add(tip), maxFeePerGas);
        return new Offer(maxFee, tip.min(maxFee));
    }

    /**
     * The replacement of {@code previous} when the base fee is {@code baseFeeOrNull}, or null if the
     * caps leave no room for the increase a node requires of a replacement.
     */
    Offer bump(Offer previous, BigInteger baseFeeOrNull) {
        BigInteger maxFee = cap(raise(previous.maxFee()), maxFeePerGas);
        if (!previous.legacy() && baseFeeOrNull != null) {
            BigInteger tip = cap(raise(previous.maxPriorityFee()), maxPriorityFeePerGas);
            maxFee = cap(maxFee.max(baseFeeOrNull.shiftLeft(1).add(tip)), maxFeePerGas);
            tip = tip.min(maxFee);
            if (!enough(previous.maxFee(), maxFee) || !enough(previous.maxPriorityFee(), tip)) {
                return null;
            }
            return new Offer(maxFee, tip);
        }
        return enough(previous.maxFee(), maxFee) ? new Offer(maxFee, previous.maxPriorityFee()) : null;
    }

    private BigInteger raise(BigInteger value) {
        BigInteger raised = value.multiply(BigInteger.valueOf(100L + bumpPercent))
                .add(BigInteger.valueOf(99))
                .divide(BigInteger.valueOf(100));
        return raised.max(value.add(BigInteger.ONE));
    }

    /** Whether {@code next} is at least 10 % above {@code previous} (rounded up, as geth compares). */
    private static boolean enough(BigInteger previous, BigInteger next) {
        return next.multiply(BigInteger.valueOf(100))
                        .compareTo(previous.multiply(BigInteger.valueOf(100L + MIN_BUMP_PERCENT)))
                >= 0;
    }

    private static BigInteger cap(BigInteger value, BigInteger capOrNull) {
        return capOrNull == null ? value : value.min(capOrNull);
    }
}
