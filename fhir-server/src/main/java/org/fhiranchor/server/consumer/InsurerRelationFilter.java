package org.fhiranchor.server.consumer;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.fhiranchor.server.fhir.ReadPaths;
import org.fhiranchor.server.security.Consumer;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.ClaimResponse;

/**
 * An insurer ({@code consumer/insurer}, {@code fhirUser} = its Organization) sees, on every read path:
 * its own Organization; a Claim whose {@code insurer} (in the version shown) is that Organization; a
 * ClaimResponse whose {@code request} is one of those Claims; and whatever those Claims reference
 * ({@link InsurerClaims}). Anything else: 403 on a read or {@code $verify}, left out of searches,
 * includes and history.
 */
public final class InsurerRelationFilter extends ConsumerRelationFilter {

    public static final String REFUSAL = "An insurer may read only its own Claims (insurer = its fhirUser"
            + " Organization), the responses to them and what they reference";

    private final DaoRegistry daoRegistry;
    private final FhirContext fhirContext;

    public InsurerRelationFilter(DaoRegistry daoRegistry, FhirContext fhirContext) {
        super(Consumer.INSURER, REFUSAL);
        this.daoRegistry = daoRegistry;
        this.fhirContext = fhirContext;
    }

    /** The insurer's Claims. */
    @Override
    void prepare(RequestDetails request) {
        InsurerClaims.of(request, daoRegistry, fhirContext);
    }

    @Override
    boolean concerns(IBaseResource resource) {
        return !ReadPaths.envelope(resource.fhirType());
    }

    @Override
    boolean related(RequestDetails request, IBaseResource resource) {
        return visible(InsurerClaims.of(request, daoRegistry, fhirContext), resource);
    }

    static boolean visible(InsurerClaims insurer, IBaseResource resource) {
        if (insurer.organization() == null) {
            return false;
        }
        if (resource instanceof Claim claim && InsurerClaims.insurerOf(claim).equals(insurer.organization())) {
            return true;
        }
        if (resource instanceof ClaimResponse response
                && insurer.claims().contains(InsurerClaims.reference(response.getRequest()))) {
            return true;
        }
        return insurer.relatesTo(
                resource.fhirType() + "/" + resource.getIdElement().getIdPart());
    }
}
