package org.fhiranchor.anchor.proof;

/** Proof JSON that is not a well-formed {@code fhir-anchor-proof/1} document. */
public final class ProofFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ProofFormatException(String message) {
        super(message);
    }

    public ProofFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
