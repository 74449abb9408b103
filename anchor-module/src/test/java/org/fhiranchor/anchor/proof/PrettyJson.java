package org.fhiranchor.anchor.proof;

import java.util.Map;
import org.fhiranchor.anchor.canonical.CanonicalJson;
import org.fhiranchor.anchor.canonical.JsonArray;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonValue;

/** Indented JSON for committed test vectors: members in insertion order so a reader meets the description first. */
final class PrettyJson {

    private PrettyJson() {}

    static String write(JsonValue value) {
        StringBuilder sb = new StringBuilder();
        write(value, sb, "");
        return sb.append('\n').toString();
    }

    private static void write(JsonValue value, StringBuilder sb, String indent) {
        String inner = indent + "  ";
        if (value instanceof JsonObject object && !object.members().isEmpty()) {
            sb.append("{\n");
            int i = 0;
            for (Map.Entry<String, JsonValue> member : object.members().entrySet()) {
                sb.append(inner)
                        .append(CanonicalJson.serializeToString(
                                new org.fhiranchor.anchor.canonical.JsonString(member.getKey())))
                        .append(": ");
                write(member.getValue(), sb, inner);
                sb.append(++i < object.members().size() ? ",\n" : "\n");
            }
            sb.append(indent).append('}');
        } else if (value instanceof JsonArray array && array.size() > 0) {
            sb.append("[\n");
            for (int i = 0; i < array.size(); i++) {
                sb.append(inner);
                write(array.get(i), sb, inner);
                sb.append(i + 1 < array.size() ? ",\n" : "\n");
            }
            sb.append(indent).append(']');
        } else {
            sb.append(CanonicalJson.serializeToString(value));
        }
    }
}
