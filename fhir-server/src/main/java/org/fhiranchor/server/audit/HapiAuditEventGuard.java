package org.fhiranchor.server.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * With the audit store ({@code fhir-anchor.audit.store=table}) no AuditEvent is written into HAPI's tables, where
 * no search, proof or archive of the trail would find it: a transaction or batch entry that would (the only
 * REST writes of AuditEvents the security rules let through are the restore's) is refused with 400, naming the
 * way that works, {@code PUT AuditEvent/[id]} on its own.
 */
@Interceptor
final class HapiAuditEventGuard {

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void creating(IBaseResource resource) {
        refuseAuditEvent(resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updating(IBaseResource previous, IBaseResource resource) {
        refuseAuditEvent(resource);
    }

    private static void refuseAuditEvent(IBaseResource resource) {
        if ("AuditEvent".equals(resource.fhirType())) {
            throw new InvalidRequestException("AuditEvents are kept in the audit trail's own store: "
                    + "replay one with PUT AuditEvent/[id] on its own, not inside a transaction or batch");
        }
    }
}
