package org.fhiranchor.anchor.export;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.fhiranchor.anchor.canonical.CanonicalJson;
import org.fhiranchor.anchor.canonical.JsonFormatException;
import org.fhiranchor.anchor.canonical.JsonNumber;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.canonical.JsonString;
import org.fhiranchor.anchor.canonical.JsonValue;

/**
 * One line of {@code sources-<n>.ndjson}: the exported resource {@code resource} ({@code Type/pseudonym})
 * was derived from the source version logged as leaf {@code leafIndex} with hash {@code leafHash}.
 */
public record SourceLine(long leafIndex, String leafHash, String resource) {

    public SourceLine {
        if (leafIndex < 0) {
            throw new IllegalArgumentException("leafIndex must not be negative");
        }
        ExportJson.hash(leafHash, "leafHash");
        Objects.requireNonNull(resource, "resource");
        if (!ExportJson.TYPE_AND_ID.matcher(resource).matches()) {
            throw new IllegalArgumentException("resource must be Type/id, got " + resource);
        }
    }

    /** The canonical JSON line, without the newline. */
    public String format() {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("leafHash", new JsonString(leafHash));
        m.put("leafIndex", JsonNumber.of(leafIndex));
        m.put("resource", new JsonString(resource));
        return CanonicalJson.serializeToString(new JsonObject(m));
    }

    /** Reads one line (strict JSON, exactly these three members). Throws JsonFormatException. */
    public static SourceLine parse(String line) {
        JsonObject o = JsonParser.parseObject(line.getBytes(StandardCharsets.UTF_8));
        ExportJson.members(o, Set.of("leafHash", "leafIndex", "resource"), Set.of(), "source line");
        try {
            return new SourceLine(
                    ExportJson.nonNegative(o, "leafIndex"), o.getString("leafHash"), o.getString("resource"));
        } catch (IllegalArgumentException e) {
            throw new JsonFormatException("source line: " + e.getMessage());
        }
    }
}
