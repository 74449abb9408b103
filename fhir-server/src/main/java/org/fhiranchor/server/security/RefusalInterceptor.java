package org.fhiranchor.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.EnumSet;
import java.util.Set;

/**
 * Makes every refusal look the same, so that a 403 tells nothing about the resource: HAPI's own
 * messages name the rule that matched, and a compartment-limited token would otherwise get 404 or
 * 410 for ids that do not exist in any compartment but 403 for those in another patient's.
 */
@Interceptor
public final class RefusalInterceptor {

    public static final String FORBIDDEN_MESSAGE = "Access denied: the token's scopes do not permit this request";

    private static final Set<RestOperationTypeEnum> INSTANCE_READS = EnumSet.of(
            RestOperationTypeEnum.READ, RestOperationTypeEnum.VREAD, RestOperationTypeEnum.HISTORY_INSTANCE);

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException uniformRefusal(RequestDetails request, Throwable exception) {
        if (exception instanceof ForbiddenOperationException) {
            return new ForbiddenOperationException(FORBIDDEN_MESSAGE);
        }
        boolean notThere = exception instanceof ResourceNotFoundException || exception instanceof ResourceGoneException;
        if (notThere && INSTANCE_READS.contains(request.getRestOperationType()) && limitedToOtherThan(request)) {
            return new ForbiddenOperationException(FORBIDDEN_MESSAGE);
        }
        return null;
    }

    /** A compartment-limited token asking for something other than its own Patient. */
    private static boolean limitedToOtherThan(RequestDetails request) {
        AccessGrant grant = ScopeAuthorizationInterceptor.grantOf(request);
        boolean compartmentOnly = !grant.admin() && !grant.resourceScopes().isEmpty()
                && grant.resourceScopes().stream().allMatch(s -> s.context() == SmartScope.Context.PATIENT);
        if (!compartmentOnly) {
            return false;
        }
        boolean ownPatient = "Patient".equals(request.getResourceName()) && request.getId() != null
                && request.getId().getIdPart().equals(grant.patientId());
        return !ownPatient;
    }
}
