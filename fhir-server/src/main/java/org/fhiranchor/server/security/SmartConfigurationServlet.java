package org.fhiranchor.server.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /fhir/.well-known/smart-configuration}: the SMART App Launch discovery document. Mapped
 * exactly, so that it wins over HAPI's {@code /fhir/*} servlet.
 */
final class SmartConfigurationServlet extends HttpServlet {

    static final String PATH = "/fhir/.well-known/smart-configuration";

    private final byte[] document;
    private final SmartDiscovery authorizationServer;

    SmartConfigurationServlet(SecurityProperties properties) {
        this(properties, null);
    }

    /** With an authorization server in the process, its document replaces the static one. */
    SmartConfigurationServlet(SecurityProperties properties, SmartDiscovery authorizationServer) {
        this.authorizationServer = authorizationServer;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("issuer", properties.expectedIssuer());
        if (properties.jwkSetUri() != null) {
            json.put("jwks_uri", properties.jwkSetUri().toString());
        }
        if (properties.tokenEndpoint() != null) {
            json.put("token_endpoint", properties.tokenEndpoint().toString());
            json.put("grant_types_supported", List.of("client_credentials"));
            json.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt", "client_secret_basic"));
        } else {
            // Embedded issuer: no token endpoint; tokens are minted out of band by `java -jar ... token`.
            json.put("grant_types_supported", List.of());
        }
        json.put("scopes_supported", scopesSupported());
        // Only what this server itself does: it enforces v1 and v2 scopes. Launch flows, if any,
        // belong to the external issuer and are advertised by it.
        json.put("capabilities", List.of("permission-v2", "permission-v1"));
        try {
            this.document = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> scopesSupported() {
        return java.util.Arrays.stream(Role.values())
                .flatMap(role -> role.scopes().stream())
                .distinct()
                .toList();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(200);
        response.setContentType("application/json");
        if (authorizationServer != null) {
            String base =
                    authorizationServer.baseUrl(request.getScheme(), request.getServerName(), request.getServerPort());
            response.getOutputStream()
                    .write(new ObjectMapper()
                            .writerWithDefaultPrettyPrinter()
                            .writeValueAsBytes(authorizationServer.configuration(base)));
            return;
        }
        response.getOutputStream().write(document);
    }
}
