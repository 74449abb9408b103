package org.fhiranchor.anchor.chain;

/**
 * The contract refused the call, e.g. {@code NotWriter} or {@code TreeSizeNotIncreasing}, or the
 * chain holds a different record for the same key ({@code ConflictingRecord}: a different root for
 * the same tree size means the log forked and needs a human). Retrying the same call will not help.
 */
public final class LedgerRevertedException extends LedgerException {
    /** Error name used when the chain already holds a different record for the same key. */
    public static final String CONFLICTING_RECORD = "ConflictingRecord";

    private final String errorName;

    public LedgerRevertedException(String errorName, String message) {
        super(message, null);
        this.errorName = errorName;
    }

    /** The contract's custom error name, {@link #CONFLICTING_RECORD}, or "unknown". */
    public String errorName() {
        return errorName;
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
