package org.fhiranchor.server.consumer;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.fhiranchor.server.fhir.StatedRefusal;
import org.fhiranchor.server.security.Consumer;
import org.fhiranchor.server.security.ScopeAuthorizationInterceptor;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.ClaimResponse;

/**
 * An insurer writes a ClaimResponse only to one of its own Claims, and only as itself: before HAPI
 * stores a created or updated ClaimResponse of an insurer's request (a transaction's entries too), its
 * {@code request} must be a Claim whose insurer is the token's Organization, its {@code insurer} that
 * Organization, and, for an update, the version it replaces must have answered one of those Claims as
 * well. Otherwise 403 with an OperationOutcome, and nothing is stored (so nothing is logged or anchored:
 * the log takes versions at pre-commit). Registered with the storage layer.
 */
@Interceptor
public final class ClaimResponseGuard {

    public static final String REFUSAL = "An insurer may write a ClaimResponse only to one of its own Claims"
            + " (ClaimResponse.request a Claim whose insurer is its fhirUser Organization) and with itself as"
            + " ClaimResponse.insurer";

    private final DaoRegistry daoRegistry;
    private final FhirContext fhirContext;

    public ClaimResponseGuard(DaoRegistry daoRegistry, FhirContext fhirContext) {
        this.daoRegistry = daoRegistry;
        this.fhirContext = fhirContext;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void creating(IBaseResource resource, RequestDetails request) {
        check(request, null, resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updating(IBaseResource previous, IBaseResource resource, RequestDetails request) {
        check(request, previous, resource);
    }

    private void check(RequestDetails request, IBaseResource previous, IBaseResource resource) {
        if (!(resource instanceof ClaimResponse response)
                || request == null
                || request instanceof SystemRequestDetails
                || !ScopeAuthorizationInterceptor.grantOf(request).narrowedTo(Consumer.INSURER)) {
            return;
        }
        InsurerClaims insurer = InsurerClaims.of(request, daoRegistry, fhirContext);
        boolean own = insurer.organization() != null
                && insurer.claims().contains(InsurerClaims.reference(response.getRequest()))
                && insurer.organization().equals(InsurerClaims.reference(response.getInsurer()))
                && (!(previous instanceof ClaimResponse replaced)
                        || insurer.claims().contains(InsurerClaims.reference(replaced.getRequest())));
        if (!own) {
            throw new StatedRefusal(REFUSAL);
        }
    }
}
