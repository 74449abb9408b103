package org.fhiranchor.server.archive;

/** Restore stopped: an archive is missing, unreadable, cannot be decrypted, or does not prove against the chain. */
public final class RestoreException extends RuntimeException {
    public RestoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public RestoreException(String message) {
        super(message);
    }
}
