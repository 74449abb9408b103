package org.fhiranchor.server.consumer;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentOutcome;
import ca.uhn.fhir.rest.server.interceptor.consent.IConsentContextServices;
import org.fhiranchor.server.fhir.ReadPaths;
import org.fhiranchor.server.fhir.ResponseFilter;
import org.fhiranchor.server.security.Consumer;
import org.fhiranchor.server.security.ScopeAuthorizationInterceptor;
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
public final class InsurerRelationFilter implements ResponseFilter {

    public static final String REFUSAL = "An insurer may read only its own Claims (insurer = its fhirUser"
            + " Organization), the responses to them and what they reference";

    private final DaoRegistry daoRegistry;
    private final FhirContext fhirContext;

    public InsurerRelationFilter(DaoRegistry daoRegistry, FhirContext fhirContext) {
        this.daoRegistry = daoRegistry;
        this.fhirContext = fhirContext;
    }

    @Override
    public boolean appliesTo(RequestDetails request) {
        return ScopeAuthorizationInterceptor.grantOf(request).narrowedTo(Consumer.INSURER) && ReadPaths.reads(request);
    }

    @Override
    public String refusal() {
        return REFUSAL;
    }

    /** Before a batch's entries run in parallel (they share this request's user data): the insurer's Claims. */
    @Override
    public ConsentOutcome startOperation(RequestDetails request, IConsentContextServices context) {
        if (appliesTo(request)) {
            InsurerClaims.of(request, daoRegistry, fhirContext);
        }
        return ConsentOutcome.PROCEED;
    }

    @Override
    public ConsentOutcome decide(RequestDetails request, IBaseResource resource) {
        if (resource == null || ReadPaths.envelope(resource.fhirType())
                || !ScopeAuthorizationInterceptor.grantOf(request).narrowedTo(Consumer.INSURER)) {
            return ConsentOutcome.PROCEED;
        }
        if (visible(InsurerClaims.of(request, daoRegistry, fhirContext), resource)) {
            return ConsentOutcome.PROCEED;
        }
        ReadPaths.refuseInstanceRead(request, REFUSAL);
        return ConsentOutcome.REJECT;
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
        return insurer.relatesTo(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
    }
}
