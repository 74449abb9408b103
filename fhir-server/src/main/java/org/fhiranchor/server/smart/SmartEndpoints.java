package org.fhiranchor.server.smart;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fhiranchor.server.security.Role;
import org.fhiranchor.server.security.SmartDiscovery;

/**
 * The SMART configuration of the in-process authorization server (SMART App Launch 2.x, section
 * "Conformance"): its real endpoints, grant types, client authentication, scopes and capabilities.
 */
final class SmartEndpoints implements SmartDiscovery {

    static final String AUTHORIZE = "/oauth2/authorize";
    static final String TOKEN = "/oauth2/token";
    static final String JWKS = "/oauth2/jwks";
    static final String REVOKE = "/oauth2/revoke";
    static final String INTROSPECT = "/oauth2/introspect";
    static final String USERINFO = "/userinfo";
    static final String ADMIN = "/admin";

    static final List<String> CAPABILITIES = List.of(
            "launch-standalone",
            "client-public",
            "client-confidential-asymmetric",
            "context-standalone-patient",
            "sso-openid-connect",
            "permission-offline",
            "permission-patient",
            "permission-user",
            "permission-v1",
            "permission-v2",
            "authorize-post");

    private final SmartProperties properties;

    SmartEndpoints(SmartProperties properties) {
        this.properties = properties;
    }

    @Override
    public Map<String, Object> configuration(String base) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("issuer", base);
        json.put("jwks_uri", base + JWKS);
        json.put("authorization_endpoint", base + AUTHORIZE);
        json.put("token_endpoint", base + TOKEN);
        json.put("revocation_endpoint", base + REVOKE);
        json.put("introspection_endpoint", base + INTROSPECT);
        json.put("userinfo_endpoint", base + USERINFO);
        json.put("grant_types_supported", List.of("authorization_code", "refresh_token", "client_credentials"));
        json.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt", "none"));
        json.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
        json.put("response_types_supported", List.of("code"));
        json.put("code_challenge_methods_supported", List.of("S256"));
        json.put("scopes_supported", scopesSupported());
        json.put("capabilities", CAPABILITIES);
        return json;
    }

    @Override
    public Map<String, String> oauthUris(String base) {
        Map<String, String> uris = new LinkedHashMap<>();
        uris.put("authorize", base + AUTHORIZE);
        uris.put("token", base + TOKEN);
        uris.put("revoke", base + REVOKE);
        uris.put("introspect", base + INTROSPECT);
        uris.put("manage", base + ADMIN);
        return uris;
    }

    @Override
    public String baseUrl(String scheme, String host, int port) {
        if (properties.issuerUrl() != null) {
            String configured = properties.issuerUrl().toString();
            return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
        }
        boolean defaultPort = ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        String authority = host.contains(":") ? "[" + host + "]" : host;
        return scheme + "://" + authority + (defaultPort ? "" : ":" + port);
    }

    private static List<String> scopesSupported() {
        Set<String> scopes = new LinkedHashSet<>(List.of(
                "openid",
                "fhirUser",
                "launch/patient",
                "offline_access",
                "online_access",
                "patient/*.rs",
                "patient/*.read",
                "user/*.rs",
                "user/*.cruds",
                "system/*.rs"));
        Arrays.stream(Role.values()).flatMap(role -> role.scopes().stream()).forEach(scopes::add);
        return new ArrayList<>(scopes);
    }
}
