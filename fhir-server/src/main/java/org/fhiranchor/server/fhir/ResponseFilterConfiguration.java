package org.fhiranchor.server.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationConstants;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentInterceptor;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Registers every {@link ResponseFilter} on one HAPI ConsentInterceptor, gated per request. */
@Configuration(proxyBeanMethods = false)
class ResponseFilterConfiguration {

    @Bean
    RestfulServerCustomizer responseFilters(ObjectProvider<ResponseFilter> filterBeans) {
        return server -> {
            List<ResponseFilter> filters = filterBeans.orderedStream().toList();
            if (filters.isEmpty()) {
                return;
            }
            ConsentInterceptor interceptor = new BulkAwareConsentInterceptor();
            filters.forEach(interceptor::registerConsentService);
            server.registerInterceptor(new Gate(filters));
            server.registerInterceptor(interceptor);
        };
    }

    /**
     * HAPI decides each bulk-exported resource on an empty system request; this one carries the
     * job's user data (what features stored at kick-off, e.g. who asked) so filters can decide.
     */
    static final class BulkAwareConsentInterceptor extends ConsentInterceptor {
        @Override
        protected RequestDetails getRequestDetailsForCurrentExportOperation(
                BulkExportJobParameters parameters, IBaseResource resource) {
            RequestDetails request = super.getRequestDetailsForCurrentExportOperation(parameters, resource);
            if (parameters != null && parameters.getUserData() != null) {
                request.getUserData().putAll(parameters.getUserData());
            }
            return request;
        }
    }

    /** Keeps the ConsentInterceptor off requests that no filter applies to, just before it runs. */
    @Interceptor
    static final class Gate {

        private final List<ResponseFilter> filters;

        Gate(List<ResponseFilter> filters) {
            this.filters = filters;
        }

        @Hook(
                value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED,
                order = AuthorizationConstants.ORDER_CONSENT_INTERCEPTOR - 1)
        public void gate(RequestDetails request) {
            if (filters.stream().noneMatch(filter -> filter.appliesTo(request))) {
                ConsentInterceptor.skipAllConsentForRequest(request);
            }
        }
    }
}
