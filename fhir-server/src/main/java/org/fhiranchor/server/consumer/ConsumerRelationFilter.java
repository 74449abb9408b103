package org.fhiranchor.server.consumer;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentOutcome;
import ca.uhn.fhir.rest.server.interceptor.consent.IConsentContextServices;
import org.fhiranchor.server.fhir.ReadPaths;
import org.fhiranchor.server.fhir.ResponseFilter;
import org.fhiranchor.server.security.Consumer;
import org.fhiranchor.server.security.ScopeAuthorizationInterceptor;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The rule shared by the consumer roles that may read a resource only when it relates to their own
 * records: it applies to the read paths of a caller whose grant is narrowed to {@link #consumer}; a
 * resource it {@linkplain #concerns concerns} that is not {@linkplain #related related} is refused
 * (403 on a read or {@code $verify}, left out of searches, includes and history).
 */
abstract class ConsumerRelationFilter implements ResponseFilter {

    private final Consumer consumer;
    private final String refusal;

    ConsumerRelationFilter(Consumer consumer, String refusal) {
        this.consumer = consumer;
        this.refusal = refusal;
    }

    @Override
    public final boolean appliesTo(RequestDetails request) {
        return narrowed(request) && ReadPaths.reads(request);
    }

    @Override
    public final String refusal() {
        return refusal;
    }

    /** Before a batch's entries run in parallel (they share this request's user data): {@link #prepare}. */
    @Override
    public final ConsentOutcome startOperation(RequestDetails request, IConsentContextServices context) {
        if (appliesTo(request)) {
            prepare(request);
        }
        return ConsentOutcome.PROCEED;
    }

    @Override
    public final ConsentOutcome decide(RequestDetails request, IBaseResource resource) {
        if (resource == null || !concerns(resource) || !narrowed(request)) {
            return ConsentOutcome.PROCEED;
        }
        if (related(request, resource)) {
            return ConsentOutcome.PROCEED;
        }
        ReadPaths.refuseInstanceRead(request, refusal);
        return ConsentOutcome.REJECT;
    }

    private boolean narrowed(RequestDetails request) {
        return ScopeAuthorizationInterceptor.grantOf(request).narrowedTo(consumer);
    }

    /** Builds, once per request, what {@link #related} reads from the request's user data. */
    abstract void prepare(RequestDetails request);

    /** Whether this rule decides on the resource at all (others pass). */
    abstract boolean concerns(IBaseResource resource);

    /** Whether the caller may see the resource. */
    abstract boolean related(RequestDetails request, IBaseResource resource);
}
