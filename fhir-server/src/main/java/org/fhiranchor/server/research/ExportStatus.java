package org.fhiranchor.server.research;

/** Where an export is. */
public enum ExportStatus {
    QUEUED,
    RUNNING,
    COMPLETE,
    FAILED,
    CANCELLED;

    boolean finished() {
        return this == COMPLETE || this == FAILED || this == CANCELLED;
    }
}
