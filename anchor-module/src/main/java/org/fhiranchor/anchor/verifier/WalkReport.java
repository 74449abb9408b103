package org.fhiranchor.anchor.verifier;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fhiranchor.anchor.verifier.VersionCheck.Outcome;

/** Every version a walk over the server's history checked, in the order the history listed them. */
public record WalkReport(List<VersionCheck> checks) {

    public WalkReport {
        checks = List.copyOf(checks);
    }

    public int total() {
        return checks.size();
    }

    /** How many versions ended in each outcome; every outcome is present, possibly with 0. */
    public Map<Outcome, Long> countsByOutcome() {
        Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            counts.put(outcome, 0L);
        }
        checks.forEach(c -> counts.merge(c.outcome(), 1L, Long::sum));
        return counts;
    }

    /** How many versions ended with each code (VERIFIED, CONTENT_HASH_MISMATCH, PENDING, ...). */
    public Map<String, Long> countsByCode() {
        Map<String, Long> counts = new TreeMap<>();
        checks.forEach(c -> counts.merge(c.code(), 1L, Long::sum));
        return counts;
    }

    /** The versions that failed a check or could not be checked. Pending versions are not among them. */
    public List<VersionCheck> failures() {
        return checks.stream()
                .filter(c -> c.outcome() == Outcome.FAILED || c.outcome() == Outcome.UNAVAILABLE)
                .toList();
    }

    public List<VersionCheck> pending() {
        return checks.stream().filter(c -> c.outcome() == Outcome.PENDING).toList();
    }

    public boolean allVerified() {
        return checks.stream().allMatch(VersionCheck::verified);
    }
}
