package org.fhiranchor.anchor.canonical;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A JSON object. Members keep their source order (the serializer sorts them); keys are unique because
 * the parser rejects duplicates. The typed getters throw {@link JsonFormatException} with the member
 * name when a member is missing or has the wrong type, which is what format readers (proofs) want.
 */
public record JsonObject(Map<String, JsonValue> members) implements JsonValue {

    public JsonObject {
        members.forEach((name, value) -> {
            Objects.requireNonNull(name, "member name");
            Objects.requireNonNull(value, "value of member " + name);
        });
        members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }

    public Optional<JsonValue> member(String name) {
        return Optional.ofNullable(members.get(name));
    }

    public boolean has(String name) {
        return members.containsKey(name);
    }

    public String getString(String name) {
        return as(name, JsonString.class).value();
    }

    public JsonNumber getNumber(String name) {
        return as(name, JsonNumber.class);
    }

    public JsonObject getObject(String name) {
        return as(name, JsonObject.class);
    }

    public JsonArray getArray(String name) {
        return as(name, JsonArray.class);
    }

    /** Follows a path of object members, e.g. {@code path("meta", "versionId")}; empty if any step is absent or not an object. */
    public Optional<JsonValue> path(String... names) {
        JsonValue current = this;
        for (String name : names) {
            if (!(current instanceof JsonObject object) || !object.has(name)) {
                return Optional.empty();
            }
            current = object.members.get(name);
        }
        return Optional.of(current);
    }

    private <T extends JsonValue> T as(String name, Class<T> type) {
        JsonValue value = members.get(name);
        if (value == null) {
            throw new JsonFormatException("missing member \"" + name + "\"");
        }
        if (!type.isInstance(value)) {
            throw new JsonFormatException("member \"" + name + "\" must be a "
                    + type.getSimpleName().replace("Json", "").toLowerCase(java.util.Locale.ROOT));
        }
        return type.cast(value);
    }
}
