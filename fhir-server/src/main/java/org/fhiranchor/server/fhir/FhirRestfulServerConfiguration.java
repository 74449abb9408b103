package org.fhiranchor.server.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.narrative2.NullNarrativeGenerator;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.ResponseHighlighterInterceptor;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The FHIR REST endpoint at {@code /fhir}: HAPI's RestfulServer over the JPA DAOs. */
@Configuration(proxyBeanMethods = false)
class FhirRestfulServerConfiguration {

    static final String FHIR_PATH = "/fhir/*";

    @Bean
    RestfulServer restfulServer(
            FhirContext fhirContext,
            IFhirSystemDao<?, ?> systemDao,
            IJpaSystemProvider systemProvider,
            ResourceProviderFactory resourceProviders,
            JpaStorageSettings storageSettings,
            ISearchParamRegistry searchParamRegistry,
            IValidationSupport validationSupport,
            DatabaseBackedPagingProvider pagingProvider,
            ObjectProvider<RestfulServerCustomizer> customizers) {
        // Structural validation on write: unknown elements, invalid primitive values and
        // malformed JSON/XML are refused with 400 instead of being silently dropped.
        fhirContext.setParserErrorHandler(new StrictErrorHandler());
        fhirContext.setNarrativeGenerator(new NullNarrativeGenerator());

        RestfulServer server = new RestfulServer(fhirContext);
        server.registerProviders(resourceProviders.createProviders());
        server.registerProvider(systemProvider);
        server.setServerConformanceProvider(new JpaCapabilityStatementProvider(
                server, systemDao, storageSettings, searchParamRegistry, validationSupport));
        server.setPagingProvider(pagingProvider);
        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        server.registerInterceptor(new ResponseHighlighterInterceptor());
        customizers.orderedStream().forEach(customizer -> customizer.customize(server));
        return server;
    }

    /** {@code /fhir/metadata} from the bytes of an earlier answer (after Spring Security, like every filter here). */
    @Bean
    FilterRegistrationBean<CapabilityStatementCache> capabilityStatementCache(FhirServerProperties properties) {
        FilterRegistrationBean<CapabilityStatementCache> registration = new FilterRegistrationBean<>(
                new CapabilityStatementCache(properties.metadataCacheTtl(), java.time.Clock.systemUTC()));
        registration.addUrlPatterns(CapabilityStatementCache.PATH);
        return registration;
    }

    @Bean
    ServletRegistrationBean<RestfulServer> fhirServlet(RestfulServer restfulServer) {
        ServletRegistrationBean<RestfulServer> registration = new ServletRegistrationBean<>(restfulServer, FHIR_PATH);
        registration.setLoadOnStartup(1);
        return registration;
    }
}
