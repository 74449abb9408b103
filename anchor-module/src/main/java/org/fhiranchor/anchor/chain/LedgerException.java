package org.fhiranchor.anchor.chain;

/**
 * A ledger operation failed. The subclass says how, so a scheduler can decide:
 * {@link LedgerUnavailableException} and {@link LedgerTimeoutException} are worth retrying later
 * (a checkpoint re-sent after them is never recorded twice), {@link LedgerRevertedException} and
 * {@link ContractMismatchException} are not.
 */
public abstract sealed class LedgerException extends RuntimeException
        permits LedgerUnavailableException, LedgerTimeoutException, LedgerRevertedException, ContractMismatchException {

    LedgerException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether the same call may succeed later without anyone changing anything. */
    public abstract boolean retryable();
}
