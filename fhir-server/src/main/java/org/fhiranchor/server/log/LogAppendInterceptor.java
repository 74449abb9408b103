package org.fhiranchor.server.log;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.time.Clock;
import org.fhiranchor.anchor.canonical.ContentHash;
import org.fhiranchor.anchor.log.Operation;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * Records every create, update (PUT, PATCH, transaction entries, internal writes) and delete of
 * any resource type as a log entry, inside the transaction that writes the version.
 */
@Interceptor
public final class LogAppendInterceptor {

    private final VersionHasher hasher;
    private final LogEntryRecorder recorder;
    private final Clock clock;

    public LogAppendInterceptor(VersionHasher hasher, LogEntryRecorder recorder, Clock clock) {
        this.hasher = hasher;
        this.recorder = recorder;
        this.clock = clock;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        record(resource, Operation.CREATE);
    }

    /** HAPI passes the previous version first and the new one second. */
    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource current) {
        record(current, Operation.UPDATE);
    }

    /** The resource passed still carries the last live version's meta; the deletion is the next version. */
    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource) {
        IIdType id = resource.getIdElement();
        String type = id.getResourceType() != null ? id.getResourceType() : hasher.resourceType(resource);
        long deletedVersion = versionOf(resource) + 1;
        recorder.record(new PendingEntry(
                type,
                id.getIdPart(),
                deletedVersion,
                Operation.DELETE,
                ContentHash.deleted(),
                LeafSalt.next(),
                clock.instant()));
    }

    private void record(IBaseResource resource, Operation operation) {
        IIdType id = resource.getIdElement();
        String type = id.getResourceType() != null ? id.getResourceType() : hasher.resourceType(resource);
        recorder.record(new PendingEntry(
                type,
                id.getIdPart(),
                versionOf(resource),
                operation,
                hasher.contentHash(resource),
                LeafSalt.next(),
                clock.instant()));
    }

    private static long versionOf(IBaseResource resource) {
        String version = resource.getMeta().getVersionId();
        if (version == null) {
            version = resource.getIdElement().getVersionIdPart();
        }
        return Long.parseLong(version);
    }
}
