package org.fhiranchor.server.fhir.input;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;

/** HTTP 415: the body's Content-Type is not one the endpoint accepts. */
public final class UnsupportedMediaTypeException extends BaseServerResponseException {
    public static final int STATUS = 415;

    public UnsupportedMediaTypeException(String contentType) {
        super(
                STATUS,
                "Unsupported Content-Type '" + contentType + "'; send application/fhir+json or application/fhir+xml");
    }
}
