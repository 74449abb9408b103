package org.fhiranchor.server.audit;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
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
 * @param fhirUser the caller's SMART {@code fhirUser} claim, if any
 * @param purposeOfUse a declared purpose of use (v3-ActReason, e.g. {@code BTG}), if any
 * @param patients the patients whose data the request touched ({@code Patient/<id>}), released or withheld
 */
public record AccessRecord(
        Instant recorded,
        String interaction,
        String operationName,
        String target,
        String resourceType,
        String queryParameterNames,
        int status,
        AccessGrant grant,
        String clientAddress,
        String fhirUser,
        String purposeOfUse,
        Set<String> patients) {

    public AccessRecord {
        patients = patients == null ? Set.of() : Set.copyOf(new TreeSet<>(patients));
    }

    public boolean succeeded() {
        return status < 400;
    }
}
