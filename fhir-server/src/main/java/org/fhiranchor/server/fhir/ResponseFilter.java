package org.fhiranchor.server.fhir;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.consent.IConsentService;

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
}
