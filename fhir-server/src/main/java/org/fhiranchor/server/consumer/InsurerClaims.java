package org.fhiranchor.server.consumer;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.fhiranchor.server.consent.ClinicalReader;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.Reference;

/**
 * What an insurer's token relates to: its Organization (the token's {@code fhirUser}), the current
 * Claims that name it as {@code insurer}, and every resource those Claims reference literally
 * ({@code Type/id} on this server; contained and absolute references name nothing here). Found with one
 * search per request, read through the DAO as a system request, and kept in the request.
 *
 * @param organization {@code Organization/<id>}; {@code null} when the token names no Organization (then
 *     the insurer relates to nothing)
 * @param claims {@code Claim/<id>} of its own Claims
 * @param referenced {@code Type/<id>} of what its Claims reference
 */
record InsurerClaims(String organization, Set<String> claims, Set<String> referenced) {

    private static final String KEY = InsurerClaims.class.getName();

    static InsurerClaims of(RequestDetails request, DaoRegistry daoRegistry, FhirContext fhirContext) {
        Object known = request.getUserData().get(KEY);
        if (known instanceof InsurerClaims claims) {
            return claims;
        }
        InsurerClaims found = find(organization(request).orElse(null), daoRegistry, fhirContext);
        request.getUserData().put(KEY, found);
        return found;
    }

    /** The token's fhirUser, when it is an Organization. */
    static Optional<String> organization(RequestDetails request) {
        return ClinicalReader.of(request)
                .map(ClinicalReader::fhirUser)
                .filter(fhirUser -> fhirUser.startsWith("Organization/"));
    }

    private static InsurerClaims find(String organization, DaoRegistry daoRegistry, FhirContext fhirContext) {
        if (organization == null) {
            return new InsurerClaims(null, Set.of(), Set.of());
        }
        Set<String> claims = new LinkedHashSet<>();
        Set<String> referenced = new LinkedHashSet<>();
        SearchParameterMap search = SearchParameterMap.newSynchronous("insurer", new ReferenceParam(organization));
        for (IBaseResource found : daoRegistry
                .getResourceDao(Claim.class)
                .search(search, new SystemRequestDetails())
                .getAllResources()) {
            if (!insurerOf((Claim) found).equals(organization)) {
                continue; // the index and the version agree; a mismatch releases nothing
            }
            claims.add("Claim/" + found.getIdElement().getIdPart());
            fhirContext
                    .newTerser()
                    .getAllResourceReferences(found)
                    .forEach(info -> local(info.getResourceReference().getReferenceElement())
                            .ifPresent(referenced::add));
        }
        return new InsurerClaims(organization, Set.copyOf(claims), Set.copyOf(referenced));
    }

    /** The Claim's insurer as {@code Organization/<id>}, or "" when it names none on this server. */
    static String insurerOf(Claim claim) {
        return reference(claim.getInsurer());
    }

    /** A literal reference to a resource of this server as {@code Type/<id>}, or "". */
    static String reference(Reference reference) {
        return reference == null ? "" : local(reference.getReferenceElement()).orElse("");
    }

    private static Optional<String> local(IIdType id) {
        if (id == null || id.isEmpty() || id.isLocal() || id.hasBaseUrl() || !id.hasResourceType() || !id.hasIdPart()) {
            return Optional.empty();
        }
        return Optional.of(id.getResourceType() + "/" + id.getIdPart());
    }

    boolean relatesTo(String reference) {
        return organization != null && (organization.equals(reference) || referenced.contains(reference));
    }
}
