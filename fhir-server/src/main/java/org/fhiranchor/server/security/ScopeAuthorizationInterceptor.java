package org.fhiranchor.server.security;

import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * HAPI's AuthorizationInterceptor with rules built per request from the bearer token that Spring
 * Security has already validated on the same thread.
 */
@Interceptor
public final class ScopeAuthorizationInterceptor extends AuthorizationInterceptor {

    public ScopeAuthorizationInterceptor() {
        super(PolicyEnum.DENY);
    }

    @Override
    public List<IAuthRule> buildRuleList(RequestDetails request) {
        return ScopeRules.forGrant(grantOf(request));
    }

    /** The request's grant, computed once and kept in the request for the audit trail. */
    public static AccessGrant grantOf(RequestDetails request) {
        Object known = request.getUserData().get(AccessGrant.REQUEST_KEY);
        if (known instanceof AccessGrant grant) {
            return grant;
        }
        AccessGrant grant = currentGrant();
        request.getUserData().put(AccessGrant.REQUEST_KEY, grant);
        return grant;
    }

    static AccessGrant currentGrant() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof JwtAuthenticationToken jwt && jwt.isAuthenticated()) {
            return AccessGrant.of(jwt.getToken());
        }
        return AccessGrant.ANONYMOUS;
    }
}
