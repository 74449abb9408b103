package org.fhiranchor.server.security;

import java.util.Map;

/**
 * What an authorization server in this process advertises: the SMART configuration document and the
 * capability statement's {@code oauth-uris}, both with absolute URLs under the server's base URL
 * ({@code http://127.0.0.1:8080}).
 */
public interface SmartDiscovery {

    /** The {@code .well-known/smart-configuration} document. */
    Map<String, Object> configuration(String baseUrl);

    /** Names ({@code authorize}, {@code token}, {@code revoke}, ...) and URLs of the OAuth endpoints. */
    Map<String, String> oauthUris(String baseUrl);

    /** The base URL from a request's scheme, host and port, unless one is configured. */
    String baseUrl(String requestScheme, String requestHost, int requestPort);
}
