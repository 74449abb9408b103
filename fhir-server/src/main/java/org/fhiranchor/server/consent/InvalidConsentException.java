package org.fhiranchor.server.consent;

/** A Consent the server refuses to store: its decision could not be stated unambiguously. */
public final class InvalidConsentException extends RuntimeException {

    public InvalidConsentException(String message) {
        super(message);
    }
}
