package org.fhiranchor.anchor.chain;

/** The code at the configured address is not the FhirAnchor contract this build ships. */
public final class ContractMismatchException extends LedgerException {
    public ContractMismatchException(String message) {
        super(message, null);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
