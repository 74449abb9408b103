package org.fhiranchor.server.fhir.input;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;

/** HTTP 413: the request body exceeds {@code fhir-anchor.fhir.max-request-body}. */
public final class RequestTooLargeException extends BaseServerResponseException {
    public static final int STATUS = 413;

    public RequestTooLargeException(long limitBytes) {
        super(STATUS, "Request body exceeds the limit of " + limitBytes + " bytes");
    }
}
