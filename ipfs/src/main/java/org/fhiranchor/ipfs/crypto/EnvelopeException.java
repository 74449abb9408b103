package org.fhiranchor.ipfs.crypto;

/** An envelope could not be opened. Subclasses say why; none of them is ever retried or ignored. */
public class EnvelopeException extends RuntimeException {
    public EnvelopeException(String message) {
        super(message);
    }

    public EnvelopeException(String message, Throwable cause) {
        super(message, cause);
    }
}
