package org.fhiranchor.server.research;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fhiranchor.server.consent.ConsentDecisionRecord;
import org.fhiranchor.server.consent.ConsentEvaluator;
import org.fhiranchor.server.consent.ConsentEvaluator.Outcome;
import org.fhiranchor.server.consent.ConsentEvaluator.Verdict;
import org.fhiranchor.server.consent.PatientTally;
import org.fhiranchor.server.consent.ResearchRequester;

/**
 * The consent engine's verdicts for every patient considered by one export, per exported type, taken once at the
 * export's transaction time; and what was released and withheld per patient, for the AuditEvent.
 */
final class ExportCohort {

    private record PatientDecisions(List<ConsentDecisionRecord> consents, Map<String, Verdict> byType) {}

    private final ResearchRequester requester;
    private final List<String> types;
    private final Instant at;
    private final Map<String, PatientDecisions> patients = new LinkedHashMap<>();
    private final Map<String, PatientTally> tallies = new LinkedHashMap<>();

    ExportCohort(ResearchRequester requester, List<String> types, Instant at) {
        this.requester = requester;
        this.types = types;
        this.at = at;
    }

    void consider(String patient, List<ConsentDecisionRecord> consents) {
        Map<String, Verdict> byType = new LinkedHashMap<>();
        for (String type : types) {
            byType.put(type, ConsentEvaluator.evaluate(consents, requester, type, at));
        }
        patients.put(patient, new PatientDecisions(consents, byType));
        tallies.put(patient, new PatientTally(summary(byType)));
    }

    /** Whether every one of the resource's patients permits its type; counts the decision for each of them. */
    boolean release(Set<String> owners, String type) {
        boolean released = true;
        for (String owner : owners) {
            PatientDecisions decisions = patients.get(owner);
            // A patient the export did not consider (deleted, or created since) never releases data.
            released &= decisions != null && decisions.byType().get(type).released();
        }
        for (String owner : owners) {
            PatientTally tally = tallies.get(owner);
            if (tally != null) {
                if (released) {
                    tally.countReleased();
                } else {
                    tally.countWithheld();
                }
            }
        }
        return released;
    }

    int considered() {
        return patients.size();
    }

    int included() {
        return (int)
                tallies.values().stream().filter(t -> t.verdict().released()).count();
    }

    Map<String, PatientTally> tallies() {
        return tallies;
    }

    /**
     * The consent versions that permitted included patients: patient reference to (consent id, version) pairs, in
     * the order considered.
     */
    Map<String, List<ConsentVersion>> permittingConsents() {
        Map<String, List<ConsentVersion>> used = new LinkedHashMap<>();
        patients.forEach((patient, decisions) -> {
            Set<String> references = new LinkedHashSet<>();
            decisions.byType().values().stream()
                    .filter(Verdict::released)
                    .forEach(v -> references.addAll(v.consents()));
            if (references.isEmpty()) {
                return;
            }
            List<ConsentVersion> versions = new ArrayList<>();
            for (ConsentDecisionRecord consent : decisions.consents()) {
                if (references.contains(consent.consentReference())) {
                    versions.add(new ConsentVersion(consent.consentId(), consent.version()));
                }
            }
            used.put(patient, versions);
        });
        return used;
    }

    record ConsentVersion(String consentId, long version) {}

    /** A permit for any type is the patient's verdict (with every permitting consent); else the Patient type's. */
    private static Verdict summary(Map<String, Verdict> byType) {
        Set<String> permitting = new LinkedHashSet<>();
        byType.values().stream().filter(Verdict::released).forEach(v -> permitting.addAll(v.consents()));
        if (!permitting.isEmpty()) {
            return new Verdict(Outcome.PERMIT, List.copyOf(permitting));
        }
        Verdict patient = byType.get("Patient");
        return patient != null ? patient : byType.values().iterator().next();
    }
}
