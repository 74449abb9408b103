package org.fhiranchor.server.consent;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;

/**
 * TEST ONLY: stands in for the security layer by reading the research requester from request
 * headers. Never in main code: there, headers must not be able to claim an identity.
 */
@Interceptor
final class TestHeaderRequesterInterceptor {

    static final String REQUESTER_HEADER = "X-Test-Requester";
    static final String PURPOSE_HEADER = "X-Test-Purpose";

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean fill(RequestDetails request) {
        String requester = request.getHeader(REQUESTER_HEADER);
        String purpose = request.getHeader(PURPOSE_HEADER);
        if (requester != null && purpose != null) {
            request.getUserData().put(ResearchRequester.USER_DATA_KEY, new ResearchRequester(requester, purpose));
        }
        return true;
    }
}
