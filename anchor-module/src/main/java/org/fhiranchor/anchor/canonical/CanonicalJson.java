package org.fhiranchor.anchor.canonical;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * FHIR Anchor canonical JSON v1 serializer: RFC 8785 (JCS) object member order and string escaping, no
 * insignificant whitespace, UTF-8 output, but numbers written exactly as their source lexeme (RFC 8785
 * would rewrite {@code 7.20} as {@code 7.2}, losing FHIR decimal precision).
 */
public final class CanonicalJson {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CanonicalJson() {}

    /** Parses strictly and re-serializes canonically. */
    public static byte[] canonicalize(byte[] jsonUtf8) {
        return serialize(JsonParser.parse(jsonUtf8));
    }

    public static byte[] serialize(JsonValue value) {
        StringBuilder sb = new StringBuilder();
        write(value, sb);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static String serializeToString(JsonValue value) {
        StringBuilder sb = new StringBuilder();
        write(value, sb);
        return sb.toString();
    }

    private static void write(JsonValue value, StringBuilder sb) {
        if (value instanceof JsonObject object) {
            // String.compareTo orders by UTF-16 code units, which is exactly RFC 8785 section 3.2.3.
            List<Map.Entry<String, JsonValue>> members =
                    new ArrayList<>(object.members().entrySet());
            members.sort(Map.Entry.comparingByKey());
            sb.append('{');
            for (int i = 0; i < members.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                writeString(members.get(i).getKey(), sb);
                sb.append(':');
                write(members.get(i).getValue(), sb);
            }
            sb.append('}');
        } else if (value instanceof JsonArray array) {
            sb.append('[');
            for (int i = 0; i < array.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(array.get(i), sb);
            }
            sb.append(']');
        } else if (value instanceof JsonString string) {
            writeString(string.value(), sb);
        } else if (value instanceof JsonNumber number) {
            sb.append(number.lexeme());
        } else if (value instanceof JsonBoolean bool) {
            sb.append(bool.value() ? "true" : "false");
        } else if (value instanceof JsonNull) {
            sb.append("null");
        } else {
            throw new IllegalArgumentException("unknown JSON value " + value);
        }
    }

    /**
     * Appends {@code s} as a canonical JSON string (quotes included): for writers that produce canonical JSON
     * without building a {@link JsonValue} first.
     */
    public static void appendString(String s, StringBuilder sb) {
        writeString(s, sb);
    }

    /** RFC 8785 section 3.2.2.2: only these escapes, lowercase hex, everything else literal. */
    private static void writeString(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
