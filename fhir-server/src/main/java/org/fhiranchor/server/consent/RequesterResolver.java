package org.fhiranchor.server.consent;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.Optional;

/**
 * Finds the research requester of a request. Empty means an ordinary (clinical, system, admin)
 * request, which this engine does not filter: other authorization applies to it.
 */
@FunctionalInterface
public interface RequesterResolver {

    Optional<ResearchRequester> resolve(RequestDetails request);

    /** The default: what the security layer put under {@link ResearchRequester#USER_DATA_KEY}. */
    static RequesterResolver fromUserData() {
        return request -> request == null
                ? Optional.empty()
                : Optional.ofNullable(request.getUserData().get(ResearchRequester.USER_DATA_KEY))
                        .filter(ResearchRequester.class::isInstance)
                        .map(ResearchRequester.class::cast);
    }
}
