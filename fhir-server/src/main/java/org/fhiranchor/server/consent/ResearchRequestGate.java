package org.fhiranchor.server.consent;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationConstants;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentInterceptor;

/**
 * Keeps HAPI's ConsentInterceptor off requests without a research requester, just before it
 * runs: otherwise it would refuse {@code _summary=count} and strip {@code Bundle.total} from every
 * clinical search too. The requester must be in the request's userData before this hook.
 */
@Interceptor
public final class ResearchRequestGate {

    private final RequesterResolver requesters;

    public ResearchRequestGate(RequesterResolver requesters) {
        this.requesters = requesters;
    }

    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = AuthorizationConstants.ORDER_CONSENT_INTERCEPTOR - 1)
    public void gate(RequestDetails request) {
        if (requesters.resolve(request).isEmpty()) {
            ConsentInterceptor.skipAllConsentForRequest(request);
        }
    }
}
