package org.fhiranchor.server.fhir;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentOutcome;
import ca.uhn.fhir.rest.server.interceptor.consent.IConsentContextServices;
import ca.uhn.fhir.rest.server.interceptor.consent.IConsentService;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * One rule about which resources may leave in a response, run on HAPI's ConsentInterceptor: a
 * resource a filter rejects is left out of the answer (search results, {@code _include}d and
 * {@code _revinclude}d resources, {@code $everything}), instead of failing the whole request.
 * Every feature contributes its filter as a bean; {@link ResponseFilterConfiguration} registers
 * them all on one interceptor, in {@code @Order}.
 *
 * <p>HAPI's ConsentInterceptor refuses {@code _summary=count} and drops {@code Bundle.total} on
 * every request it looks at, so it runs only on requests that at least one filter
 * {@linkplain #appliesTo applies to}. A filter must answer {@code PROCEED} from
 * {@code startOperation} (an {@code AUTHORIZED} there would switch off every other filter for the
 * request) and {@code PROCEED} for resources it has no opinion on (the outer Bundle, an
 * OperationOutcome).
 */
public interface ResponseFilter extends IConsentService {

    /** Whether this filter must see the resources of this request; read before the request is handled. */
    boolean appliesTo(RequestDetails request);

    /**
     * This filter's decision on one resource: {@code PROCEED} (no objection), {@code REJECT} (left
     * out), or {@code AUTHORIZED} (released, later filters not asked). Asked both where HAPI loads
     * resources and where it shows them (included resources are only seen there).
     */
    ConsentOutcome decide(RequestDetails request, IBaseResource resource);

    /** What a caller is told when this filter withholds a resource it asked for by name (a 403). */
    default String refusal() {
        return "A policy of this server withholds this resource from this caller";
    }

    @Override
    default ConsentOutcome startOperation(RequestDetails request, IConsentContextServices context) {
        return ConsentOutcome.PROCEED;
    }

    @Override
    default boolean shouldProcessCanSeeResource(RequestDetails request, IConsentContextServices context) {
        return appliesTo(request);
    }

    @Override
    default ConsentOutcome canSeeResource(
            RequestDetails request, IBaseResource resource, IConsentContextServices context) {
        return decide(request, resource);
    }

    @Override
    default ConsentOutcome willSeeResource(
            RequestDetails request, IBaseResource resource, IConsentContextServices context) {
        return decide(request, resource);
    }
}
