package org.fhiranchor.server.audit;

import ca.uhn.fhir.util.StringUtil;
import java.util.ArrayList;
import java.util.List;
import org.fhiranchor.server.access.AuditedResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;

/**
 * The search parameters an AuditEvent in the audit store is found by ({@code anchor_audit_search}), as FHIR R4
 * defines them for AuditEvent, with one difference: the server names patients and resources by identifier
 * ({@link AuditedResource}), so {@code patient}, {@code entity} and {@code agent} match the identifier's value
 * ({@code Patient/123}) as well as a literal reference. Strings are indexed twice, normalized as HAPI normalizes
 * them (accents removed, upper case) for the default prefix match, and as written for {@code :exact}.
 */
final class AuditSearchIndex {

    /** One value of one parameter; {@code system} is null except for tokens that have one. */
    record Row(String param, String system, String value) {}

    static final int MAX_VALUE = 255;
    static final String EXACT = ":exact";
    static final String ACTION_SYSTEM = "http://hl7.org/fhir/audit-event-action";
    static final String OUTCOME_SYSTEM = "http://hl7.org/fhir/audit-event-outcome";

    private AuditSearchIndex() {}

    static List<Row> rows(AuditEvent event) {
        List<Row> rows = new ArrayList<>();
        token(rows, "type", event.getType());
        event.getSubtype().forEach(subtype -> token(rows, "subtype", subtype));
        if (event.hasAction()) {
            rows.add(new Row("action", ACTION_SYSTEM, event.getAction().toCode()));
        }
        if (event.hasOutcome()) {
            rows.add(new Row("outcome", OUTCOME_SYSTEM, event.getOutcome().toCode()));
        }
        for (AuditEvent.AuditEventAgentComponent agent : event.getAgent()) {
            string(rows, "agent-name", agent.getName());
            String who = named(agent.getWho());
            if (who != null) {
                rows.add(new Row("agent", null, truncate(who)));
                patient(rows, who);
            }
        }
        for (AuditEvent.AuditEventEntityComponent entity : event.getEntity()) {
            string(rows, "entity-name", entity.getName());
            String what = named(entity.getWhat());
            if (what != null) {
                rows.add(new Row("entity", null, truncate(what)));
                patient(rows, what);
            }
        }
        return rows.stream().distinct().toList();
    }

    /** A string search value as the index holds it for the default (prefix) match. */
    static String normalized(String value) {
        return truncate(StringUtil.normalizeStringForSearchIndexing(value));
    }

    /** {@code Patient/123} for a patient given as {@code 123}, {@code Patient/123} or an absolute URL. */
    static String patientReference(String value) {
        int slash = value.lastIndexOf("/Patient/");
        String tail = slash >= 0 ? value.substring(slash + 1) : value;
        return truncate(tail.startsWith("Patient/") ? tail : "Patient/" + tail);
    }

    private static void token(List<Row> rows, String param, Coding coding) {
        if (coding != null && coding.hasCode()) {
            rows.add(new Row(param, coding.hasSystem() ? coding.getSystem() : null, truncate(coding.getCode())));
        }
    }

    private static void string(List<Row> rows, String param, String value) {
        if (value != null && !value.isBlank()) {
            rows.add(new Row(param, null, normalized(value)));
            rows.add(new Row(param + EXACT, null, truncate(value)));
        }
    }

    private static void patient(List<Row> rows, String named) {
        if (named.startsWith("Patient/")) {
            rows.add(new Row("patient", null, truncate(named)));
        }
    }

    /** What a reference names: its literal reference, or the value of a server-written identifier. */
    private static String named(Reference reference) {
        if (reference == null) {
            return null;
        }
        if (reference.hasReference()) {
            return reference.getReference();
        }
        if (reference.hasIdentifier()
                && AuditedResource.SYSTEM.equals(reference.getIdentifier().getSystem())
                && reference.getIdentifier().hasValue()) {
            return reference.getIdentifier().getValue();
        }
        if (reference.hasIdentifier() && reference.getIdentifier().hasValue()) {
            return reference.getIdentifier().hasSystem()
                    ? reference.getIdentifier().getSystem() + "|"
                            + reference.getIdentifier().getValue()
                    : reference.getIdentifier().getValue();
        }
        return null;
    }

    private static String truncate(String value) {
        return value.length() <= MAX_VALUE ? value : value.substring(0, MAX_VALUE);
    }
}
