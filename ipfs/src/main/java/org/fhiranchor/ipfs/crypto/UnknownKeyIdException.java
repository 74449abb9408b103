package org.fhiranchor.ipfs.crypto;

/** The envelope names an archive key the key ring does not hold (retired too early, or a foreign envelope). */
public final class UnknownKeyIdException extends EnvelopeException {
    private final String keyId;

    public UnknownKeyIdException(String keyId) {
        super("no archive key with id '" + keyId + "' in the key ring");
        this.keyId = keyId;
    }

    public String keyId() {
        return keyId;
    }
}
