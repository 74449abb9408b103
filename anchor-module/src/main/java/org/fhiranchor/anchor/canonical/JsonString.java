package org.fhiranchor.anchor.canonical;

import java.util.Objects;

/** A JSON string. Holds well-formed UTF-16 only: an unpaired surrogate has no UTF-8 encoding to hash. */
public record JsonString(String value) implements JsonValue {

    public JsonString {
        Objects.requireNonNull(value, "value");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw new IllegalArgumentException("unpaired high surrogate at index " + i);
            }
            if (Character.isLowSurrogate(c)) {
                throw new IllegalArgumentException("unpaired low surrogate at index " + i);
            }
        }
    }
}
