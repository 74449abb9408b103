package org.fhiranchor.server.bulk;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/** What one export released and withheld: per patient, and released resources per type. */
final class ReleaseTally {

    /** Released and withheld resources of one patient. */
    record PatientCounts(AtomicInteger released, AtomicInteger withheld) {}

    private final Map<String, PatientCounts> patients = new TreeMap<>();
    private final Map<String, AtomicInteger> releasedByType = new TreeMap<>();

    synchronized void count(String type, Set<String> owners, boolean released) {
        if (released) {
            releasedByType.computeIfAbsent(type, t -> new AtomicInteger()).incrementAndGet();
        }
        for (String patient : owners) {
            PatientCounts counts =
                    patients.computeIfAbsent(patient, p -> new PatientCounts(new AtomicInteger(), new AtomicInteger()));
            (released ? counts.released() : counts.withheld()).incrementAndGet();
        }
    }

    synchronized Map<String, PatientCounts> patients() {
        return Map.copyOf(patients);
    }

    synchronized Map<String, AtomicInteger> releasedByType() {
        return Map.copyOf(releasedByType);
    }
}
