package org.fhiranchor.server.research;

/** The export was cancelled (or taken over) while it ran: stop without writing anything more. */
final class ExportCancelled extends RuntimeException {

    ExportCancelled() {
        super("cancelled", null, false, false);
    }
}
