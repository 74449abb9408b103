package org.fhiranchor.anchor.canonical;

/**
 * An immutable JSON value as parsed by {@link JsonParser}. Numbers keep their exact lexeme because FHIR
 * decimal precision is significant ({@code 7.20} is not {@code 7.2}).
 */
public sealed interface JsonValue permits JsonObject, JsonArray, JsonString, JsonNumber, JsonBoolean, JsonNull {}
