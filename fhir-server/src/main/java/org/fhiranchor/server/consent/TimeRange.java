package org.fhiranchor.server.consent;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonString;
import org.fhiranchor.anchor.canonical.JsonValue;

/**
 * A FHIR Period resolved to instants: {@code start} inclusive, {@code end} exclusive (a FHIR end
 * of {@code 2016-01-01} covers that whole day, so it becomes 2016-01-02T00:00:00Z). Either end may
 * be open (null).
 */
public record TimeRange(Instant start, Instant end) {

    public static final TimeRange OPEN = new TimeRange(null, null);

    public boolean contains(Instant instant) {
        return (start == null || !instant.isBefore(start)) && (end == null || instant.isBefore(end));
    }

    public boolean isOpen() {
        return start == null && end == null;
    }

    /** The part of both ranges (a nested provision never reaches beyond its parent's period). */
    public TimeRange intersect(TimeRange other) {
        Instant s =
                start == null ? other.start : other.start == null || start.isAfter(other.start) ? start : other.start;
        Instant e = end == null ? other.end : other.end == null || end.isBefore(other.end) ? end : other.end;
        return new TimeRange(s, e);
    }

    JsonValue toJson() {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        if (start != null) {
            members.put("start", new JsonString(start.toString()));
        }
        if (end != null) {
            members.put("end", new JsonString(end.toString()));
        }
        return new JsonObject(members);
    }
}
