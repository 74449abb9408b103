package org.fhiranchor.server.audit;

import java.time.Instant;
import org.fhiranchor.server.security.AccessGrant;

/**
 * One access, as the audit trail keeps it: no parameter values, no resource content.
 *
 * @param recorded when the server answered
 * @param interaction a code of http://hl7.org/fhir/restful-interaction, or {@code null} when the
 *     request was refused before it was understood (401, or 403 on the actuator)
 * @param operationName {@code $verify} and the like, for operations
 * @param target what was accessed: {@code Patient/123}, {@code Patient/123/_history/2}, a type
 *     ({@code Observation}) for searches and creates, or the request path for early refusals
 * @param resourceType the resource type, if any
 * @param queryParameterNames the names of the query parameters, values dropped
 * @param status the HTTP status sent to the client
 * @param grant who asked
 * @param clientAddress the peer's network address
 */
public record AccessRecord(Instant recorded, String interaction, String operationName, String target,
        String resourceType, String queryParameterNames, int status, AccessGrant grant, String clientAddress) {

    public boolean succeeded() {
        return status < 400;
    }
}
