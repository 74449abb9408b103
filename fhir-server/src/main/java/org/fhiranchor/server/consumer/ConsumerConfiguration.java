package org.fhiranchor.server.consumer;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import org.fhiranchor.server.fhir.ResponseFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/** The pharmacist's and the insurer's relation to the data (docs/security.md, "Pharmacist", "Insurer"). */
@Configuration(proxyBeanMethods = false)
class ConsumerConfiguration {

    /** Before the privacy consents (150): a relation refusal is the one to state, break-glass would not help. */
    @Bean
    @Order(130)
    ResponseFilter pharmacyRelation(DaoRegistry daoRegistry, FhirContext fhirContext) {
        return new PharmacyRelationFilter(daoRegistry, fhirContext);
    }

    @Bean
    @Order(140)
    ResponseFilter insurerRelation(DaoRegistry daoRegistry, FhirContext fhirContext) {
        return new InsurerRelationFilter(daoRegistry, fhirContext);
    }

    @Bean
    ClaimResponseGuard claimResponseGuard(
            DaoRegistry daoRegistry, FhirContext fhirContext, IInterceptorService interceptorService) {
        ClaimResponseGuard guard = new ClaimResponseGuard(daoRegistry, fhirContext);
        // The storage layer, not the REST server: transaction entries are checked too.
        interceptorService.registerInterceptor(guard);
        return guard;
    }
}
