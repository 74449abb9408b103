package org.fhiranchor.anchor.export;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Pattern;
import org.fhiranchor.anchor.canonical.JsonFormatException;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.proof.HashHex;

/** Shared strict-reading helpers of the export formats: exact member sets, lowercase hex, one spelling per value. */
final class ExportJson {

    static final Pattern TYPE = Pattern.compile("[A-Z][A-Za-z0-9]{0,63}");
    static final Pattern TYPE_AND_ID = Pattern.compile("[A-Z][A-Za-z0-9]{0,63}/[A-Za-z0-9\\-.]{1,64}");

    private ExportJson() {}

    static void members(JsonObject object, Set<String> required, Set<String> optional, String where) {
        for (String name : required) {
            if (!object.has(name)) {
                throw new JsonFormatException(where + ": missing member \"" + name + "\"");
            }
        }
        for (String name : object.members().keySet()) {
            if (!required.contains(name) && !optional.contains(name)) {
                throw new JsonFormatException(where + ": unknown member \"" + name + "\"");
            }
        }
    }

    static String hash(String hex, String what) {
        if (hex == null) {
            throw new IllegalArgumentException(what + " is required");
        }
        HashHex.parse(hex); // throws unless 64 lowercase hex digits
        return hex;
    }

    static long nonNegative(JsonObject object, String name) {
        try {
            return object.getNumber(name).asNonNegativeLong();
        } catch (IllegalArgumentException e) {
            throw new JsonFormatException(name + ": " + e.getMessage());
        }
    }

    static Instant instant(String text, String what) {
        try {
            Instant instant = Instant.parse(text);
            if (!instant.toString().equals(text)) {
                throw new JsonFormatException(what + " must be written as " + instant + ", got " + text);
            }
            return instant;
        } catch (DateTimeParseException e) {
            throw new JsonFormatException(what + " is not an instant: " + text);
        }
    }
}
