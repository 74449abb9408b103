package org.fhiranchor.anchor.chain;

/**
 * The code at the configured address is not the FhirAnchor contract this build ships, or there is
 * no code at all ({@link #codeMissing()}: never deployed there, or the deployment was removed by a
 * reorganisation of the chain).
 */
public final class ContractMismatchException extends LedgerException {
    private final boolean codeMissing;

    public ContractMismatchException(String message) {
        this(message, false);
    }

    private ContractMismatchException(String message, boolean codeMissing) {
        super(message, null);
        this.codeMissing = codeMissing;
    }

    static ContractMismatchException noCode(String contractAddress) {
        return new ContractMismatchException(
                "no contract code at " + contractAddress
                        + " (never deployed there, or the deployment is no longer in the canonical chain)",
                true);
    }

    /** True if the address holds no code at all. */
    public boolean codeMissing() {
        return codeMissing;
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
