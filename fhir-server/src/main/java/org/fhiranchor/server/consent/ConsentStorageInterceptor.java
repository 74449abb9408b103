package org.fhiranchor.server.consent;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Registered with the storage layer (so transactions and internal writes are covered): refuses a
 * Consent whose decision cannot be stated before anything is stored, and queues the decision of
 * every stored Consent version, deletions included, in the same transaction.
 */
@Interceptor
public final class ConsentStorageInterceptor {

    private final ConsentFlattener flattener;
    private final ConsentKeys keys;
    private final ConsentOutbox outbox;
    private final Clock clock;
    private final List<PatientConsents> caches = new CopyOnWriteArrayList<>();

    public ConsentStorageInterceptor(ConsentFlattener flattener, ConsentKeys keys, ConsentOutbox outbox, Clock clock) {
        this.flattener = flattener;
        this.keys = keys;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Consent caches to invalidate whenever a patient's Consent is written (before and after the commit). */
    public void invalidates(PatientConsents cache) {
        caches.add(cache);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void validateCreate(IBaseResource resource) {
        validate(resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void validateUpdate(IBaseResource previous, IBaseResource current) {
        validate(current);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        invalidate(resource);
        queue(resource, false);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource current) {
        invalidate(previous);
        invalidate(current);
        queue(current, false);
    }

    /** The resource passed is the last live version; the deletion is the next version. */
    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource) {
        invalidate(resource);
        queue(resource, true);
    }

    private void invalidate(IBaseResource resource) {
        if (!(resource instanceof Consent consent)
                || caches.isEmpty()
                || !consent.getPatient().hasReference()) {
            return;
        }
        String patient = "Patient/" + new IdType(consent.getPatient().getReference()).getIdPart();
        caches.forEach(cache -> cache.invalidate(patient));
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            // A request that read the old consents between now and the commit must not keep them.
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    caches.forEach(cache -> cache.invalidate(patient));
                }
            });
        }
    }

    private void validate(IBaseResource resource) {
        if (resource instanceof Consent consent) {
            try {
                flattener.validate(consent);
            } catch (InvalidConsentException e) {
                OperationOutcome outcome = new OperationOutcome();
                outcome.addIssue()
                        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                        .setCode(OperationOutcome.IssueType.INVALID)
                        .setDiagnostics(e.getMessage());
                throw new UnprocessableEntityException(e.getMessage(), outcome);
            }
        }
    }

    private void queue(IBaseResource resource, boolean deleted) {
        if (!(resource instanceof Consent consent)) {
            return;
        }
        long version = versionOf(consent) + (deleted ? 1 : 0);
        ConsentDecisionRecord record;
        try {
            record = flattener.flatten(consent, version, deleted);
        } catch (InvalidConsentException e) {
            if (!deleted) {
                throw e; // validated at prestorage; cannot happen for a create or update
            }
            // A Consent stored before validation existed is still deletable; its revocation is
            // then not recorded (nothing valid was recorded for it either).
            return;
        }
        outbox.insert(consent.getIdElement().getIdPart(), keys.onChain(record), clock.instant());
    }

    private static long versionOf(Consent consent) {
        String version = consent.getMeta().getVersionId();
        if (version == null) {
            version = consent.getIdElement().getVersionIdPart();
        }
        return Long.parseLong(version);
    }
}
