package org.fhiranchor.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.fhiranchor.server.fhir.StatedRefusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes refusals and server errors say nothing they should not. A 403 tells nothing about the
 * resource: HAPI's own messages name the rule that matched, and a compartment-limited token would
 * otherwise get 404 or 410 for ids outside every compartment but 403 for those in another
 * patient's. A 5xx carries an incident id instead of the exception's message (which may quote SQL,
 * stored values, or internals); the log has the incident id with the exception classes and frames.
 */
@Interceptor
public final class RefusalInterceptor {

    public static final String FORBIDDEN_MESSAGE = "Access denied: the token's scopes do not permit this request";

    private static final Logger LOG = LoggerFactory.getLogger(RefusalInterceptor.class);

    private static final Set<RestOperationTypeEnum> INSTANCE_READS =
            EnumSet.of(RestOperationTypeEnum.READ, RestOperationTypeEnum.VREAD, RestOperationTypeEnum.HISTORY_INSTANCE);

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException uniformErrors(RequestDetails request, Throwable exception) {
        if (exception instanceof StatedRefusal) {
            return null; // written for the caller, naming a policy, never stored data
        }
        if (exception instanceof ForbiddenOperationException) {
            return new ForbiddenOperationException(FORBIDDEN_MESSAGE);
        }
        boolean notThere = exception instanceof ResourceNotFoundException || exception instanceof ResourceGoneException;
        if (notThere && INSTANCE_READS.contains(request.getRestOperationType()) && limitedToOtherThan(request)) {
            return new ForbiddenOperationException(FORBIDDEN_MESSAGE);
        }
        if (isBadOperationParameter(exception)) {
            return new InvalidRequestException("An operation parameter is not a valid value of its type "
                    + "(for example a number that is not an integer)");
        }
        // HAPI turns a DataFormatException (unparseable input) into 400 itself; anything else that
        // is not already an HTTP error is a 500.
        boolean serverError = exception instanceof BaseServerResponseException e
                ? e.getStatusCode() >= 500
                : !(exception instanceof DataFormatException);
        if (serverError) {
            String incident = UUID.randomUUID().toString();
            LOG.error(
                    "Incident {}: {}",
                    incident,
                    PhiSafeLogFilter.classChain(exception),
                    PhiSafeLogFilter.MessageFreeThrowable.of(exception));
            int status = exception instanceof BaseServerResponseException e ? e.getStatusCode() : 500;
            return BaseServerResponseException.newInstance(status, "Internal error; incident " + incident);
        }
        return null;
    }

    /**
     * HAPI binds an operation's query parameters to their declared FHIR types ({@code ?from=x} to an
     * {@code integer}) and lets the type's parser throw IllegalArgumentException: the client's mistake,
     * not the server's.
     */
    static boolean isBadOperationParameter(Throwable exception) {
        if (!(exception instanceof IllegalArgumentException)) {
            return false;
        }
        for (StackTraceElement frame : exception.getStackTrace()) {
            if (frame.getClassName().equals("ca.uhn.fhir.rest.server.method.OperationParameter")) {
                return true;
            }
        }
        return false;
    }

    /** A compartment-limited token asking for something other than its own Patient. */
    private static boolean limitedToOtherThan(RequestDetails request) {
        AccessGrant grant = ScopeAuthorizationInterceptor.grantOf(request);
        boolean compartmentOnly = !grant.admin()
                && !grant.resourceScopes().isEmpty()
                && grant.resourceScopes().stream().allMatch(s -> s.context() == SmartScope.Context.PATIENT);
        if (!compartmentOnly) {
            return false;
        }
        boolean ownPatient = "Patient".equals(request.getResourceName())
                && request.getId() != null
                && request.getId().getIdPart().equals(grant.patientId());
        return !ownPatient;
    }
}
