package org.fhiranchor.server.security;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentOutcome;
import ca.uhn.fhir.rest.server.interceptor.consent.IConsentContextServices;
import java.util.Set;
import org.fhiranchor.server.consent.PatientCompartment;
import org.fhiranchor.server.fhir.BulkExportContext;
import org.fhiranchor.server.fhir.ResponseFilter;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Answers that mix resource types ({@code $everything}, {@code _include}, {@code _revinclude},
 * and their next pages) leave out what the token's scopes do not let the caller read, instead of
 * being refused whole: a clinician's {@code $everything} omits AuditEvents that name the patient,
 * a patient's {@code _include} omits a Practitioner outside the compartment. What is left is then
 * checked again, resource by resource, by the AuthorizationInterceptor (with the same rules), so
 * this filter can only narrow an answer, never widen one.
 */
final class ScopeVisibilityFilter implements ResponseFilter {

    /** Resources that carry no clinical data of their own: the envelope, outcomes, operation results. */
    private static final Set<String> ENVELOPES = Set.of("Bundle", "OperationOutcome", "Parameters");

    private static final Set<RestOperationTypeEnum> OPERATIONS = Set.of(
            RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE,
            RestOperationTypeEnum.EXTENDED_OPERATION_TYPE,
            RestOperationTypeEnum.EXTENDED_OPERATION_SERVER);
    private static final Set<RestOperationTypeEnum> SEARCHES =
            Set.of(RestOperationTypeEnum.SEARCH_TYPE, RestOperationTypeEnum.SEARCH_SYSTEM);

    @Override
    public boolean appliesTo(RequestDetails request) {
        if (ScopeAuthorizationInterceptor.grantOf(request).admin()) {
            return false;
        }
        if (BulkExportContext.of(request).isPresent()) {
            return true; // every resource of a bulk export, judged against the grant of who started it
        }
        RestOperationTypeEnum operation = request.getRestOperationType();
        if (operation == RestOperationTypeEnum.GET_PAGE) {
            return true;
        }
        if (OPERATIONS.contains(operation)) {
            return "$everything".equals(request.getOperation());
        }
        return SEARCHES.contains(operation)
                && request.getParameters().keySet().stream()
                        .anyMatch(name -> name.startsWith("_include") || name.startsWith("_revinclude"));
    }

    @Override
    public boolean shouldProcessCanSeeResource(RequestDetails request, IConsentContextServices context) {
        return true;
    }

    @Override
    public ConsentOutcome decide(RequestDetails request, IBaseResource resource) {
        if (resource == null || ENVELOPES.contains(resource.fhirType())) {
            return ConsentOutcome.PROCEED;
        }
        AccessGrant grant = ScopeAuthorizationInterceptor.grantOf(request);
        return readable(grant, request, resource) ? ConsentOutcome.PROCEED : ConsentOutcome.REJECT;
    }

    /** The resource scopes' read rules of {@link ScopeRules}, for one resource. */
    static boolean readable(AccessGrant grant, RequestDetails request, IBaseResource resource) {
        if (grant.admin()) {
            return true;
        }
        String type = resource.fhirType();
        for (SmartScope scope : grant.resourceScopes()) {
            boolean typeCovered = scope.allTypes()
                    ? !ScopeRules.AUDIT_EVENT.equals(type)
                    : scope.resourceType().equals(type);
            if (!scope.readsOrSearches() || !typeCovered) {
                continue;
            }
            if (scope.context() != SmartScope.Context.PATIENT) {
                return true;
            }
            String patientId = grant.patientId();
            if (patientId != null
                    && !patientId.isBlank()
                    && PatientCompartment.owners(request.getFhirContext(), resource)
                            .contains("Patient/" + patientId)) {
                return true;
            }
        }
        return false;
    }
}
