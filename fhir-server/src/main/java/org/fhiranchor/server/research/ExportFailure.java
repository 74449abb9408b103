package org.fhiranchor.server.research;

/** An export that cannot complete; its message is shown to the researcher, so it never names patient data. */
final class ExportFailure extends RuntimeException {

    ExportFailure(String message) {
        super(message);
    }
}
