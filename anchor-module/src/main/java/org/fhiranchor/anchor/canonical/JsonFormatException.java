package org.fhiranchor.anchor.canonical;

/** Input that is not acceptable JSON for canonical JSON v1, or a JSON document of the wrong shape. */
public final class JsonFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public JsonFormatException(String message) {
        super(message);
    }
}
