package org.fhiranchor.ipfs.crypto;

/**
 * A GCM tag did not verify: the header or ciphertext was altered, or the key under that key id is not the key
 * the envelope was sealed with. Nothing of the plaintext is released.
 */
public final class EnvelopeAuthenticationException extends EnvelopeException {
    public EnvelopeAuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
