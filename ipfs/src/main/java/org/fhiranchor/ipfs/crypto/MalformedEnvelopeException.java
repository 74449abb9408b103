package org.fhiranchor.ipfs.crypto;

/** Not an envelope of a format version this code reads: wrong magic, unknown version, or truncated. */
public final class MalformedEnvelopeException extends EnvelopeException {
    public MalformedEnvelopeException(String message) {
        super(message);
    }
}
