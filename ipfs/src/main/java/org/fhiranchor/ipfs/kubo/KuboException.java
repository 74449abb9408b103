package org.fhiranchor.ipfs.kubo;

import java.io.IOException;

/** The node refused a call, answered with an error, or answered something that is not a valid reply. */
public class KuboException extends IOException {
    private final int status;

    public KuboException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The HTTP status, or 200 for an error reported inside a successful response (Kubo's trailer errors). */
    public int status() {
        return status;
    }
}
