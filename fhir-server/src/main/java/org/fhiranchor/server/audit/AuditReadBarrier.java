package org.fhiranchor.server.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.Set;

/**
 * Read-your-audit consistency: before a request that can return AuditEvents (any interaction on the
 * AuditEvent type, system-wide searches and histories, and server-level operations such as {@code $verify}
 * of many versions), every audit record already committed is materialized, so a patient's access log or an
 * auditor's search shows every access answered before it.
 */
@Interceptor
final class AuditReadBarrier {

    private static final Set<RestOperationTypeEnum> SYSTEM_READS = Set.of(
            RestOperationTypeEnum.SEARCH_SYSTEM,
            RestOperationTypeEnum.HISTORY_SYSTEM,
            RestOperationTypeEnum.EXTENDED_OPERATION_SERVER);

    private final AuditBatches batches;

    AuditReadBarrier(AuditBatches batches) {
        this.batches = batches;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void beforeHandling(RequestDetails request, RestOperationTypeEnum operation) {
        if ("AuditEvent".equals(request.getResourceName()) || SYSTEM_READS.contains(operation)) {
            batches.materialize();
        }
    }
}
