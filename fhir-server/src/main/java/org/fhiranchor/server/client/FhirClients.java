package org.fhiranchor.server.client;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.apache.ApacheRestfulClientFactory;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.time.Duration;

/**
 * HAPI generic clients for the jar's tools (restore, sweep): a client factory of their own, so the caller's
 * {@link FhirContext} keeps its settings; no {@code /metadata} fetch before the first call (a restore token may not
 * read it); a read timeout long enough for a transaction of thousands of entries; the bearer token, if any, on
 * every request.
 */
public final class FhirClients {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration READ_TIMEOUT = Duration.ofMinutes(10);

    private FhirClients() {}

    /** A client for {@code fhirBase} (a trailing slash is dropped), sending {@code bearerTokenOrNull} when set. */
    public static IGenericClient connect(FhirContext fhirContext, String fhirBase, String bearerTokenOrNull) {
        ApacheRestfulClientFactory factory = new ApacheRestfulClientFactory(fhirContext);
        factory.setServerValidationMode(ServerValidationModeEnum.NEVER);
        factory.setConnectTimeout(Math.toIntExact(CONNECT_TIMEOUT.toMillis()));
        factory.setSocketTimeout(Math.toIntExact(READ_TIMEOUT.toMillis()));
        String base = fhirBase.endsWith("/") ? fhirBase.substring(0, fhirBase.length() - 1) : fhirBase;
        IGenericClient client = factory.newGenericClient(base);
        if (bearerTokenOrNull != null && !bearerTokenOrNull.isBlank()) {
            client.registerInterceptor(new BearerTokenAuthInterceptor(bearerTokenOrNull));
        }
        return client;
    }
}
