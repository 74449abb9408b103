package org.fhiranchor.server.bulk;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentOperationStatusEnum;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.fhiranchor.server.consent.PatientCompartment;
import org.fhiranchor.server.fhir.BulkExportContext;
import org.fhiranchor.server.fhir.ResponseFilter;
import org.fhiranchor.server.log.BatchRecords;
import org.fhiranchor.server.security.AccessGrant;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Decides, for every resource a bulk export job is about to write, whether it leaves: the same
 * {@link ResponseFilter}s as every REST answer (the scopes of who started the export, consent), asked
 * about a system request that carries the requester's grant and a {@link BulkExportContext}. Registered
 * on the storage layer's interceptor service, because the export job has no REST request. An export
 * without a known requester releases nothing. Counts what was released and withheld, per patient and
 * type, for the release audit.
 */
@Interceptor
final class BulkExportInclusion {

    private final List<ResponseFilter> filters;
    private final BulkExportRepository exports;
    private final FhirContext fhirContext;
    private final Map<String, Optional<BulkExportRepository.Requester>> requesters = new ConcurrentHashMap<>();
    private final Map<String, ReleaseTally> tallies = new ConcurrentHashMap<>();

    BulkExportInclusion(List<ResponseFilter> filters, BulkExportRepository exports, FhirContext fhirContext) {
        this.filters = filters;
        this.exports = exports;
        this.fhirContext = fhirContext;
    }

    @Hook(Pointcut.STORAGE_BULK_EXPORT_RESOURCE_INCLUSION)
    public boolean include(BulkExportJobParameters parameters, IBaseResource resource) {
        if (BatchRecords.isBatchRecord(resource)) {
            return false; // the log's own machinery, like AuditEvents: not data
        }
        String key = parameters.getBinarySecurityContextIdentifierValue();
        if (!BulkExportContext.EXPORT_KEY_SYSTEM.equals(parameters.getBinarySecurityContextIdentifierSystem())
                || key == null) {
            return false;
        }
        Optional<BulkExportRepository.Requester> requester = requesters.computeIfAbsent(key, exports::find);
        if (requester.isEmpty()) {
            return false;
        }
        SystemRequestDetails request = requestFor(requester.get());
        boolean released = filters.stream()
                .filter(filter -> filter.appliesTo(request))
                .noneMatch(filter -> rejects(filter, request, resource));
        ReleaseTally tally = tallies.computeIfAbsent(key, k -> new ReleaseTally());
        tally.count(resource.fhirType(), PatientCompartment.owners(fhirContext, resource), released);
        return released;
    }

    /** The request the filters are asked about: a system request acting for the export's requester. */
    static SystemRequestDetails requestFor(BulkExportRepository.Requester requester) {
        SystemRequestDetails request = new SystemRequestDetails();
        request.getUserData()
                .put(
                        AccessGrant.REQUEST_KEY,
                        AccessGrant.of(
                                requester.subject(),
                                requester.role(),
                                requester.clientId(),
                                null,
                                List.of(requester.scopes().trim().split("\\s+"))));
        request.getUserData()
                .put(
                        BulkExportContext.USER_DATA_KEY,
                        new BulkExportContext(requester.exportKey(), requester.subject(), requester.fhirUser()));
        return request;
    }

    /** The counts of a finished export, forgotten here; empty if this server did not run it. */
    ReleaseTally takeTally(String exportKey) {
        requesters.remove(exportKey);
        ReleaseTally tally = tallies.remove(exportKey);
        return tally == null ? new ReleaseTally() : tally;
    }

    private static boolean rejects(ResponseFilter filter, SystemRequestDetails request, IBaseResource resource) {
        return filter.canSeeResource(request, resource, null).getStatus() == ConsentOperationStatusEnum.REJECT
                || filter.willSeeResource(request, resource, null).getStatus() == ConsentOperationStatusEnum.REJECT;
    }
}
