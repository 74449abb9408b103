package org.fhiranchor.anchor.chain;

/** The node could not be reached or answered with a transport or RPC error. Retry later. */
public final class LedgerUnavailableException extends LedgerException {
    public LedgerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
