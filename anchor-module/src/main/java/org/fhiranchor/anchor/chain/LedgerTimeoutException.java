package org.fhiranchor.anchor.chain;

/**
 * A transaction was sent but no receipt (or not enough confirmations) arrived in time. It may still
 * be mined: retrying is safe because the contract rejects a second copy of the same record.
 */
public final class LedgerTimeoutException extends LedgerException {
    private final String txHash;

    public LedgerTimeoutException(String message, String txHash) {
        super(message, null);
        this.txHash = txHash;
    }

    /** The last transaction hash sent, or null if none was accepted by the node. */
    public String txHash() {
        return txHash;
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
