package org.fhiranchor.server.consent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fhiranchor.anchor.canonical.JsonArray;
import org.fhiranchor.anchor.canonical.JsonNumber;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonString;
import org.fhiranchor.anchor.canonical.JsonValue;

/**
 * One provision of a Consent, flattened: its own constraints, or its ancestors' where it states
 * none, and a period that never reaches beyond its ancestors' (docs/consent.md). An empty list
 * means "any".
 *
 * @param depth 0 for the root provision, 1 for its nested provisions, ...
 * @param effect permit or deny
 * @param actors actor references ({@code Organization/x}), or {@code identifier:system|value}
 * @param purposes purpose-of-use codings as {@code system|code}
 * @param actions consent actions as {@code system|code}
 * @param classes data classes as {@code system|code} (resource types: {@code http://hl7.org/fhir/resource-types|Observation})
 * @param period when the rule applies
 * @param dataPeriod the period the data must fall in (recorded; see docs for how it is enforced)
 * @param unevaluated constraint elements present that the engine cannot evaluate
 *     ({@code code}, {@code securityLabel}, {@code data}): a permit with them never matches, a deny always does;
 *     except {@code securityLabel} when the resource's labels are known (docs/consent.md)
 * @param securityLabels the provision's security labels as {@code system|code} (its own, or its ancestors' where
 *     it states none): the rule applies only to resources labelled with one of them. Not part of the decision record
 *     (whose v1 form lists {@code securityLabel} under {@code unevaluated}), so recorded decisions keep their hash.
 */
public record ConsentRule(
        int depth,
        Effect effect,
        List<String> actors,
        List<String> purposes,
        List<String> actions,
        List<String> classes,
        TimeRange period,
        TimeRange dataPeriod,
        List<String> unevaluated,
        List<String> securityLabels) {

    public enum Effect {
        PERMIT,
        DENY;

        public String code() {
            return name().toLowerCase();
        }

        Effect opposite() {
            return this == PERMIT ? DENY : PERMIT;
        }
    }

    public ConsentRule {
        actors = List.copyOf(actors);
        purposes = List.copyOf(purposes);
        actions = List.copyOf(actions);
        classes = List.copyOf(classes);
        unevaluated = List.copyOf(unevaluated);
        securityLabels = List.copyOf(securityLabels);
    }

    JsonValue toJson() {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        members.put("depth", JsonNumber.of(depth));
        members.put("effect", new JsonString(effect.code()));
        members.put("actors", strings(actors));
        members.put("purposes", strings(purposes));
        members.put("actions", strings(actions));
        members.put("classes", strings(classes));
        members.put("period", period.toJson());
        members.put("dataPeriod", dataPeriod.toJson());
        members.put("unevaluated", strings(unevaluated));
        return new JsonObject(members);
    }

    static JsonArray strings(List<String> values) {
        return new JsonArray(
                values.stream().map(v -> (JsonValue) new JsonString(v)).toList());
    }
}
