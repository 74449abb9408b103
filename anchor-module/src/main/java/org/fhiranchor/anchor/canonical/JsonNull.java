package org.fhiranchor.anchor.canonical;

/** JSON {@code null}. */
public record JsonNull() implements JsonValue {

    public static final JsonNull INSTANCE = new JsonNull();
}
