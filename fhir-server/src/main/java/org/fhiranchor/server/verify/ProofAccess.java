package org.fhiranchor.server.verify;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * Who may have a version's proof (docs/security.md, "Proofs"): a caller that may read the version gets
 * its proof, under the same authorization and consent decision as the read; proof-only callers
 * (auditors) get proofs without reading. Implemented by the security layer; without it (a server with
 * security off) every caller may.
 */
@FunctionalInterface
public interface ProofAccess {

    /**
     * Returns normally if the request's caller may have the proof of {@code version}, else throws a
     * 403 ({@code ForbiddenOperationException}) that says why.
     *
     * @param version {@code Type/id/_history/vid}
     * @param readable what a reader of that version is shown: the version itself, or for a delete the
     *     version before it (a tombstone names no patient); {@code null} if there is none
     */
    void check(RequestDetails request, IIdType version, IBaseResource readable);
}
