package org.fhiranchor.server.bulk;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.batch2.model.JobInstance;
import ca.uhn.fhir.batch2.model.StatusEnum;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.model.util.JpaConstants;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.interceptor.binary.BinarySecurityContextInterceptor;
import ca.uhn.fhir.rest.server.provider.ProviderConstants;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.fhiranchor.server.fhir.BulkExportContext;
import org.fhiranchor.server.fhir.ResponseFilter;
import org.fhiranchor.server.security.ScopeAuthorizationInterceptor;
import org.hl7.fhir.r4.model.Parameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Only who started an export sees its status, cancels it and reads its files: a status poll of
 * another's export answers 404 (as if it did not exist), a file read 403. The first status poll that
 * finds the export complete releases it: the release is audited ({@link BulkReleaseAudit}) once, across
 * replicas, and the response filters hear that the export is over.
 */
final class BulkExportOwnership extends BinarySecurityContextInterceptor {

    private static final Logger log = LoggerFactory.getLogger(BulkExportOwnership.class);

    private final IJobCoordinator jobs;
    private final BulkExportRepository exports;
    private final BulkExportInclusion inclusion;
    private final BulkReleaseAudit audit;
    private final List<ResponseFilter> filters;
    private final Clock clock;

    BulkExportOwnership(
            FhirContext fhirContext,
            IJobCoordinator jobs,
            BulkExportRepository exports,
            BulkExportInclusion inclusion,
            BulkReleaseAudit audit,
            List<ResponseFilter> filters,
            Clock clock) {
        super(fhirContext);
        this.jobs = jobs;
        this.exports = exports;
        this.inclusion = inclusion;
        this.audit = audit;
        this.filters = filters;
        this.clock = clock;
    }

    /** Export files: only their requester (the key on the file names the export). */
    @Override
    protected boolean securityContextIdentifierAllowed(String system, String value, RequestDetails request) {
        if (!BulkExportContext.EXPORT_KEY_SYSTEM.equals(system) || value == null) {
            return false;
        }
        String caller = ScopeAuthorizationInterceptor.grantOf(request).subject();
        return exports.find(value)
                .map(requester -> Objects.equals(requester.subject(), caller))
                .orElse(false);
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void statusPoll(RequestDetails request) {
        if (!ProviderConstants.OPERATION_EXPORT_POLL_STATUS.equals(request.getOperation())) {
            return;
        }
        String jobId = jobId(request);
        JobInstance instance = jobId == null ? null : find(jobId);
        BulkExportJobParameters parameters =
                instance == null ? null : instance.getParameters(BulkExportJobParameters.class);
        Optional<BulkExportRepository.Requester> requester = parameters == null
                        || !BulkExportContext.EXPORT_KEY_SYSTEM.equals(
                                parameters.getBinarySecurityContextIdentifierSystem())
                ? Optional.empty()
                : exports.find(parameters.getBinarySecurityContextIdentifierValue());
        String caller = ScopeAuthorizationInterceptor.grantOf(request).subject();
        if (requester.isEmpty() || !Objects.equals(requester.get().subject(), caller)) {
            throw new ResourceNotFoundException("Unknown export job");
        }
        if (instance.getStatus() == StatusEnum.COMPLETED
                && request.getRequestType() != RequestTypeEnum.DELETE
                && exports.markReleased(requester.get().exportKey(), clock.instant())) {
            release(requester.get(), jobId);
        }
    }

    private void release(BulkExportRepository.Requester requester, String jobId) {
        ReleaseTally tally = inclusion.takeTally(requester.exportKey());
        SystemRequestDetails export = BulkExportInclusion.requestFor(requester);
        filters.stream()
                .filter(filter -> filter.appliesTo(export))
                .forEach(filter -> filter.completeOperationSuccess(export, null));
        try {
            audit.write(requester, jobId, tally);
        } catch (RuntimeException e) {
            // No release without its audit: the next poll tries again.
            exports.unmarkReleased(requester.exportKey());
            log.error(
                    "The release audit of a bulk export could not be written ({})",
                    e.getClass().getName());
            throw e;
        }
    }

    private JobInstance find(String jobId) {
        try {
            return jobs.getInstance(jobId);
        } catch (ResourceNotFoundException e) {
            return null;
        }
    }

    private static String jobId(RequestDetails request) {
        String[] values = request.getParameters().get(JpaConstants.PARAM_EXPORT_POLL_STATUS_JOB_ID);
        if (values != null && values.length > 0) {
            return values[0];
        }
        if (request.getResource() instanceof Parameters body
                && body.getParameter(JpaConstants.PARAM_EXPORT_POLL_STATUS_JOB_ID) != null) {
            return body.getParameter(JpaConstants.PARAM_EXPORT_POLL_STATUS_JOB_ID)
                    .getValue()
                    .primitiveValue();
        }
        return null;
    }
}
