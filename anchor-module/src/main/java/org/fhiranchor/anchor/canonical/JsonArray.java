package org.fhiranchor.anchor.canonical;

import java.util.List;

/** A JSON array; element order is significant and kept. */
public record JsonArray(List<JsonValue> elements) implements JsonValue {

    public JsonArray {
        elements = List.copyOf(elements);
    }

    public int size() {
        return elements.size();
    }

    public JsonValue get(int index) {
        return elements.get(index);
    }
}
