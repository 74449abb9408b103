package org.fhiranchor.anchor.canonical;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A JSON number kept as the exact lexeme it was written with ({@code 125.00}, {@code 1E+2}, {@code -0}).
 * Canonical JSON v1 deliberately does not normalise numbers the way RFC 8785 does.
 */
public record JsonNumber(String lexeme) implements JsonValue {

    private static final Pattern RFC_8259_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final Pattern NON_NEGATIVE_INTEGER = Pattern.compile("0|[1-9][0-9]{0,18}");

    public JsonNumber {
        Objects.requireNonNull(lexeme, "lexeme");
        if (!RFC_8259_NUMBER.matcher(lexeme).matches()) {
            throw new IllegalArgumentException("not an RFC 8259 number: " + lexeme);
        }
    }

    public static JsonNumber of(long value) {
        return new JsonNumber(Long.toString(value));
    }

    /**
     * The value as a non-negative long, accepting only the plain integer form ({@code 12}, not
     * {@code 12.0} or {@code 1.2e1}), so that each value has exactly one accepted spelling.
     */
    public long asNonNegativeLong() {
        if (!NON_NEGATIVE_INTEGER.matcher(lexeme).matches()) {
            throw new IllegalArgumentException("not a plain non-negative integer: " + lexeme);
        }
        try {
            return Long.parseLong(lexeme);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("integer out of range: " + lexeme, e);
        }
    }
}
