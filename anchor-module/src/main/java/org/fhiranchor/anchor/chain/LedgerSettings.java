package org.fhiranchor.anchor.chain;

import java.time.Duration;

/**
 * How to talk to one chain endpoint.
 *
 * @param rpcUrl JSON-RPC HTTP endpoint
 * @param confirmations blocks that must include and follow a transaction before a write returns;
 *     1 means "mined". With an automining dev node blocks only appear with transactions, so keep 1
 *     there or run it with a block time.
 * @param receiptTimeout how long to wait for a receipt (and for confirmations) per send attempt
 * @param pollInterval how often to ask for the receipt; web3j's default of 15 s is far too slow
 * @param sendAttempts a write gives up after {@code sendAttempts x receiptTimeout} without a receipt
 *     (throwing {@link LedgerTimeoutException}; the transaction may still be mined later)
 * @param fees fee caps and the replacement of transactions that are not mined
 */
public record LedgerSettings(
        String rpcUrl,
        int confirmations,
        Duration receiptTimeout,
        Duration pollInterval,
        int sendAttempts,
        FeePolicy fees) {

    public LedgerSettings(
            String rpcUrl, int confirmations, Duration receiptTimeout, Duration pollInterval, int sendAttempts) {
        this(rpcUrl, confirmations, receiptTimeout, pollInterval, sendAttempts, FeePolicy.defaults());
    }

    public LedgerSettings {
        if (rpcUrl == null || rpcUrl.isBlank()) {
            throw new IllegalArgumentException("rpcUrl is required");
        }
        if (confirmations < 1 || sendAttempts < 1) {
            throw new IllegalArgumentException("confirmations and sendAttempts must be at least 1");
        }
        if (receiptTimeout.isNegative()
                || receiptTimeout.isZero()
                || pollInterval.isNegative()
                || pollInterval.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (fees == null) {
            throw new IllegalArgumentException("fees are required");
        }
    }

    /** One confirmation, 30 s receipt timeout, 100 ms polling, 3 send attempts. */
    public static LedgerSettings forUrl(String rpcUrl) {
        return new LedgerSettings(rpcUrl, 1, Duration.ofSeconds(30), Duration.ofMillis(100), 3);
    }

    public LedgerSettings withConfirmations(int value) {
        return new LedgerSettings(rpcUrl, value, receiptTimeout, pollInterval, sendAttempts, fees);
    }

    public LedgerSettings withReceiptTimeout(Duration value) {
        return new LedgerSettings(rpcUrl, confirmations, value, pollInterval, sendAttempts, fees);
    }

    public LedgerSettings withSendAttempts(int value) {
        return new LedgerSettings(rpcUrl, confirmations, receiptTimeout, pollInterval, value, fees);
    }

    public LedgerSettings withFees(FeePolicy value) {
        return new LedgerSettings(rpcUrl, confirmations, receiptTimeout, pollInterval, sendAttempts, value);
    }
}
