package org.fhiranchor.server.archive;

/** An archive's plaintext is not the Bundle this server writes, or contradicts its range or the chain. */
public final class ArchiveFormatException extends RuntimeException {
    public ArchiveFormatException(String message) {
        super(message);
    }
}
