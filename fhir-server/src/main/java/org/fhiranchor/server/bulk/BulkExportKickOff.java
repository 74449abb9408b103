package org.fhiranchor.server.bulk;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.model.util.JpaConstants;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationConstants;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.fhiranchor.server.consent.ResearchRequester;
import org.fhiranchor.server.fhir.BulkExportContext;
import org.fhiranchor.server.security.AccessGrant;
import org.fhiranchor.server.security.ScopeAuthorizationInterceptor;
import org.fhiranchor.server.security.ScopeRules;
import org.hl7.fhir.r4.model.Parameters;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * At an export's kick-off: without {@code _type}, the export is narrowed to the types the caller's
 * scopes cover (HAPI's default, every type, would otherwise be refused for any caller without an
 * AuditEvent scope); research requests are refused (research data leaves de-identified, through
 * {@code $research-export}); and once the authorization rules have accepted it, the export gets its
 * own key, which its job and every file it writes carry, and its requester is remembered.
 */
@Interceptor
final class BulkExportKickOff {

    private static final String FHIR_USER_CLAIM = "fhirUser";

    private final BulkExportRepository exports;
    private final Set<String> ownStoreTypes;
    private final Clock clock;

    /** {@code ownStoreTypes}: the types kept outside HAPI, exported at system level only ({@link OwnStoreIdsStep}). */
    BulkExportKickOff(BulkExportRepository exports, Set<String> ownStoreTypes, Clock clock) {
        this.exports = exports;
        this.ownStoreTypes = ownStoreTypes;
        this.clock = clock;
    }

    @Hook(Pointcut.STORAGE_PRE_INITIATE_BULK_EXPORT)
    public void narrow(RequestDetails request, BulkExportJobParameters parameters) {
        if (request.getUserData().get(ResearchRequester.USER_DATA_KEY) != null) {
            throw new ForbiddenOperationException("Research data is exported de-identified, with $research-export");
        }
        boolean named = namesTypes(request);
        if (!named) {
            Set<String> permitted = ScopeRules.bulkExportTypes(ScopeAuthorizationInterceptor.grantOf(request));
            List<String> types = new ArrayList<>(parameters.getResourceTypes());
            types.retainAll(permitted);
            parameters.setResourceTypes(types);
        }
        ownStoreTypes(parameters, named);
    }

    /**
     * A type kept outside HAPI is exported whole, at system level, filtered by {@code _since} only: asked for by a
     * patient or group export, or with a {@code _typeFilter}, it is refused (400), and left out of a patient or
     * group export that names no types.
     */
    private void ownStoreTypes(BulkExportJobParameters parameters, boolean named) {
        for (String filter : parameters.getFilters()) {
            String type = filter.contains("?") ? filter.substring(0, filter.indexOf('?')) : filter;
            if (ownStoreTypes.contains(type)) {
                throw new InvalidRequestException(type + " cannot be exported with a _typeFilter; "
                        + "export it whole (with _since if need be) and filter the file");
            }
        }
        if (parameters.getExportStyle() == BulkExportJobParameters.ExportStyle.SYSTEM) {
            return;
        }
        List<String> types = new ArrayList<>(parameters.getResourceTypes());
        List<String> own = types.stream().filter(ownStoreTypes::contains).toList();
        if (own.isEmpty()) {
            return;
        }
        if (named) {
            throw new InvalidRequestException(String.join(",", own)
                    + " is exported at system level only: [base]/$export?_type=" + String.join(",", own));
        }
        types.removeAll(own);
        parameters.setResourceTypes(types);
    }

    @Hook(value = Pointcut.STORAGE_INITIATE_BULK_EXPORT, order = AuthorizationConstants.ORDER_AUTH_INTERCEPTOR + 1)
    public void register(RequestDetails request, BulkExportJobParameters parameters) {
        AccessGrant grant = ScopeAuthorizationInterceptor.grantOf(request);
        String key = UUID.randomUUID().toString();
        exports.insert(
                new BulkExportRepository.Requester(
                        key, grant.subject(), grant.role(), grant.clientId(), grant.scopeClaim(), fhirUser()),
                clock.instant());
        parameters.setBinarySecurityContextIdentifierSystem(BulkExportContext.EXPORT_KEY_SYSTEM);
        parameters.setBinarySecurityContextIdentifierValue(key);
    }

    private static boolean namesTypes(RequestDetails request) {
        if (request.getParameters().containsKey(JpaConstants.PARAM_EXPORT_TYPE)) {
            return true;
        }
        return request.getResource() instanceof Parameters body
                && body.getParameter(JpaConstants.PARAM_EXPORT_TYPE) != null;
    }

    private static String fhirUser() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication instanceof JwtAuthenticationToken jwt
                ? jwt.getToken().getClaimAsString(FHIR_USER_CLAIM)
                : null;
    }
}
