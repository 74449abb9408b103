package org.fhiranchor.server.fhir;

import ca.uhn.fhir.rest.server.RestfulServer;

/**
 * Lets a feature register its own interceptors and operation providers on the FHIR endpoint, so
 * that no single bean needs to know every feature. Beans are applied in {@code @Order}.
 */
@FunctionalInterface
public interface RestfulServerCustomizer {
    void customize(RestfulServer server);
}
