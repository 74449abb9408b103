package org.fhiranchor.server.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.time.Clock;
import java.util.Set;
import java.util.TreeSet;
import org.fhiranchor.server.access.AccessDetails;
import org.fhiranchor.server.consent.PatientCompartment;
import org.fhiranchor.server.security.ScopeAuthorizationInterceptor;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;

/**
 * Records every request to the FHIR endpoint, success or failure, before its response is written:
 * a client never receives an answer whose access is not stored. Successes are recorded when the
 * response is ready ({@code SERVER_OUTGOING_RESPONSE}), failures when the final exception is known
 * ({@code SERVER_HANDLE_EXCEPTION}, after the refusal has been made uniform).
 */
@Interceptor
final class AccessAuditInterceptor {

    /** After every other hook, the AuthorizationInterceptor's check of the response included. */
    static final int LAST = 1000;

    private static final String RECORDED = AccessAuditInterceptor.class.getName() + ".recorded";

    private final AuditTrail trail;
    private final Clock clock;

    AccessAuditInterceptor(AuditTrail trail, Clock clock) {
        this.trail = trail;
        this.clock = clock;
    }

    @Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = LAST)
    public boolean recordSuccess(RequestDetails request, ResponseDetails response) {
        if (shouldRecord(request)) {
            try {
                record(request, response.getResponseCode(), response.getResponseResource());
            } catch (AuditTrail.AuditUnavailableException e) {
                // Fail closed: no data leaves without its audit record.
                throw new InternalErrorException("The audit trail is unavailable; the request was not answered");
            }
        }
        return true;
    }

    @Hook(value = Pointcut.SERVER_HANDLE_EXCEPTION, order = LAST)
    public boolean recordFailure(RequestDetails request, BaseServerResponseException exception) {
        if (shouldRecord(request)) {
            try {
                record(request, exception.getStatusCode(), null);
            } catch (AuditTrail.AuditUnavailableException e) {
                // Already failing: the client gets its error; the trail's own failure is logged.
            }
        }
        return true;
    }

    private boolean shouldRecord(RequestDetails request) {
        // The capability statement is public and holds no data: not an access worth an event.
        return request.getUserData().get(RECORDED) == null
                && request.getRestOperationType() != RestOperationTypeEnum.METADATA;
    }

    private void record(RequestDetails request, int status, IBaseResource responseResource) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        String resourceType = request.getResourceName();
        String target = target(request, operation, resourceType, responseResource);
        String operationName =
                request.getOperation() != null && request.getOperation().startsWith("$")
                        ? request.getOperation()
                        : null;
        String address = request instanceof ServletRequestDetails servlet && servlet.getServletRequest() != null
                ? servlet.getServletRequest().getRemoteAddr()
                : null;
        AccessDetails details = AccessDetails.of(request);
        Set<String> patients = new TreeSet<>(details.patients());
        patients.addAll(patientsIn(request, responseResource));
        trail.record(new AccessRecord(
                clock.instant(),
                interaction(operation),
                operationName,
                target,
                resourceType,
                String.join("&", new TreeSet<>(request.getParameters().keySet())),
                status,
                ScopeAuthorizationInterceptor.grantOf(request),
                address,
                details.fhirUser(),
                details.purposeOfUse(),
                patients));
        request.getUserData().put(RECORDED, Boolean.TRUE);
    }

    /**
     * The patients whose data leaves in the response: a resource's Patient compartment owners, for
     * the resource or every entry of a Bundle. Server-written AuditEvents name patients by
     * identifier, so reading the audit trail touches nobody's compartment.
     */
    private static Set<String> patientsIn(RequestDetails request, IBaseResource response) {
        Set<String> patients = new TreeSet<>();
        if (response == null) {
            return patients;
        }
        if (response instanceof Bundle bundle) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                if (entry.hasResource()) {
                    patients.addAll(PatientCompartment.owners(request.getFhirContext(), entry.getResource()));
                }
            }
        } else {
            patients.addAll(PatientCompartment.owners(request.getFhirContext(), response));
        }
        return patients;
    }

    private static String target(
            RequestDetails request,
            RestOperationTypeEnum operation,
            String resourceType,
            IBaseResource responseResource) {
        IIdType id = request.getId();
        if (resourceType != null && id != null && id.hasIdPart()) {
            boolean versioned = operation == RestOperationTypeEnum.VREAD && id.hasVersionIdPart();
            return new IdType(resourceType, id.getIdPart(), versioned ? id.getVersionIdPart() : null).getValue();
        }
        if (operation == RestOperationTypeEnum.CREATE
                && responseResource != null
                && responseResource.getIdElement().hasIdPart()
                && resourceType != null
                && resourceType.equals(responseResource.getIdElement().getResourceType())) {
            return new IdType(resourceType, responseResource.getIdElement().getIdPart()).getValue();
        }
        return resourceType;
    }

    static String interaction(RestOperationTypeEnum operation) {
        if (operation == null) {
            return null;
        }
        return switch (operation) {
            case READ -> "read";
            case VREAD -> "vread";
            case UPDATE -> "update";
            case PATCH -> "patch";
            case DELETE -> "delete";
            case CREATE -> "create";
            case HISTORY_INSTANCE -> "history-instance";
            case HISTORY_TYPE -> "history-type";
            case HISTORY_SYSTEM -> "history-system";
            case SEARCH_TYPE -> "search-type";
            case SEARCH_SYSTEM -> "search-system";
            case GET_PAGE -> "search";
            case TRANSACTION -> "transaction";
            case BATCH -> "batch";
            case METADATA -> "capabilities";
            default -> "operation";
        };
    }
}
