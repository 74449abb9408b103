package org.fhiranchor.server.webapp;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the web app ({@code fhir-anchor.webapp.*}).
 *
 * @param smartClientId the OAuth client id the app uses for SMART standalone launch
 * @param chainRpcUrl the JSON-RPC URL browsers use to read the contract; defaults to the server's own
 *     (right for the embedded dev chain on loopback, usually wrong in production, where it should be a
 *     public node of the chain)
 * @param connectSrc further origins the page may call (e.g. the RPC nodes users pin), added to the
 *     Content-Security-Policy's {@code connect-src}
 */
@ConfigurationProperties("fhir-anchor.webapp")
public record WebAppProperties(
        @DefaultValue("fhir-anchor-webapp") String smartClientId,
        String chainRpcUrl,
        @DefaultValue List<String> connectSrc) {}
