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
 * One line of {@code consent-decisions.ndjson}: the decision recorded on chain for {@code consentKey} at
 * {@code consentVersion} with {@code decisionHash} (docs/consent.md section 2) permitted {@code patient}
 * ({@code Patient/pseudonym}).
 */
public record ConsentDecisionLine(String consentKey, long consentVersion, String decisionHash, String patient) {

    public ConsentDecisionLine {
        ExportJson.hash(consentKey, "consentKey");
        if (consentVersion < 1) {
            throw new IllegalArgumentException("consentVersion starts at 1");
        }
        ExportJson.hash(decisionHash, "decisionHash");
        Objects.requireNonNull(patient, "patient");
        if (!patient.startsWith("Patient/")
                || !ExportJson.TYPE_AND_ID.matcher(patient).matches()) {
            throw new IllegalArgumentException("patient must be Patient/id, got " + patient);
        }
    }

    /** The canonical JSON line, without the newline. */
    public String format() {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("consentKey", new JsonString(consentKey));
        m.put("consentVersion", JsonNumber.of(consentVersion));
        m.put("decisionHash", new JsonString(decisionHash));
        m.put("patient", new JsonString(patient));
        return CanonicalJson.serializeToString(new JsonObject(m));
    }

    /** Reads one line (strict JSON, exactly these four members). Throws JsonFormatException. */
    public static ConsentDecisionLine parse(String line) {
        JsonObject o = JsonParser.parseObject(line.getBytes(StandardCharsets.UTF_8));
        ExportJson.members(
                o, Set.of("consentKey", "consentVersion", "decisionHash", "patient"), Set.of(), "consent line");
        try {
            return new ConsentDecisionLine(
                    o.getString("consentKey"),
                    ExportJson.nonNegative(o, "consentVersion"),
                    o.getString("decisionHash"),
                    o.getString("patient"));
        } catch (IllegalArgumentException e) {
            throw new JsonFormatException("consent line: " + e.getMessage());
        }
    }
}
