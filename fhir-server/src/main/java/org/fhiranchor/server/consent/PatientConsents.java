package org.fhiranchor.server.consent;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Consent;

/**
 * Reads a patient's current Consents from the database. Without a cache (research release) every
 * call reads them, so an update or delete counts from the next request. With one (clinical reads,
 * asked on every request), a patient's flattened consents are kept for at most {@code cacheTtl}
 * and dropped as soon as a Consent of that patient is written on this server
 * ({@link #invalidate}, called by the storage interceptor before and after the commit).
 * A stored Consent that cannot be interpreted (written before validation existed) counts as a
 * deny: doubt never releases data.
 */
public final class PatientConsents {

    private static final int MAX_CACHED_PATIENTS = 10_000;

    private final DaoRegistry daoRegistry;
    private final ConsentFlattener flattener;
    private final Duration cacheTtl;
    private final Clock clock;
    private final Map<String, Cached> cache;
    /** Bumped by every invalidation: a load that raced with a write is not cached. */
    private final AtomicLong generation = new AtomicLong();

    private record Cached(List<ConsentDecisionRecord> records, Instant loaded) {}

    public PatientConsents(DaoRegistry daoRegistry, ConsentFlattener flattener) {
        this(daoRegistry, flattener, Duration.ZERO, Clock.systemUTC());
    }

    public PatientConsents(DaoRegistry daoRegistry, ConsentFlattener flattener, Duration cacheTtl, Clock clock) {
        this.daoRegistry = daoRegistry;
        this.flattener = flattener;
        this.cacheTtl = cacheTtl;
        this.clock = clock;
        this.cache = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > MAX_CACHED_PATIENTS;
            }
        });
    }

    /** Forgets what is cached about this patient (a Consent of theirs is being written). */
    public void invalidate(String patientReference) {
        generation.incrementAndGet();
        cache.remove(patientReference);
    }

    public List<ConsentDecisionRecord> of(String patientReference) {
        if (cacheTtl.isZero()) {
            return load(patientReference);
        }
        Cached cached = cache.get(patientReference);
        Instant now = clock.instant();
        if (cached != null && cached.loaded().plus(cacheTtl).isAfter(now)) {
            return cached.records();
        }
        long before = generation.get();
        List<ConsentDecisionRecord> records = List.copyOf(load(patientReference));
        if (generation.get() == before) {
            cache.put(patientReference, new Cached(records, now));
        }
        return records;
    }

    private List<ConsentDecisionRecord> load(String patientReference) {
        IFhirResourceDao<Consent> dao = daoRegistry.getResourceDao(Consent.class);
        SearchParameterMap query = SearchParameterMap.newSynchronous("patient", new ReferenceParam(patientReference));
        // A system request: storage hooks only, never the REST server's consent interceptor.
        List<IBaseResource> found =
                dao.search(query, new SystemRequestDetails()).getAllResources();
        List<ConsentDecisionRecord> records = new ArrayList<>(found.size());
        for (IBaseResource resource : found) {
            Consent consent = (Consent) resource;
            long version = Long.parseLong(
                    consent.getIdElement().getVersionIdPart() != null
                            ? consent.getIdElement().getVersionIdPart()
                            : consent.getMeta().getVersionId());
            try {
                records.add(flattener.flatten(consent, version, false));
            } catch (InvalidConsentException e) {
                records.add(denyAll(consent.getIdElement().getIdPart(), version, patientReference));
            }
        }
        return records;
    }

    private static ConsentDecisionRecord denyAll(String consentId, long version, String patient) {
        ConsentRule deny = new ConsentRule(
                0,
                ConsentRule.Effect.DENY,
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                TimeRange.OPEN,
                TimeRange.OPEN,
                List.of(),
                List.of());
        return new ConsentDecisionRecord(
                consentId,
                version,
                patient,
                "active",
                false,
                List.of(),
                List.of(),
                false,
                TimeRange.OPEN,
                List.of(),
                List.of(),
                List.of(deny));
    }
}
