package org.fhiranchor.server.smart;

import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.text.ParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.fhiranchor.server.security.Role;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * Registers and revokes the clients of the authorization server, three kinds decided by what is
 * given: a public SMART app (redirect URIs, no keys: PKCE only), a confidential asymmetric app
 * (redirect URIs and keys) and a backend service (keys, no redirect URIs: {@code client_credentials},
 * with a role that bounds its scopes). Keys are a JWKS given inline or by URL; clients authenticate
 * with a {@code private_key_jwt} assertion signed RS384 or ES384.
 */
public final class SmartClients {

    /** Client setting: the client's inline JWKS (public keys), as JSON. */
    static final String JWKS_SETTING = "settings.client.fhir-anchor.jwks";
    /** Client setting: the role whose scopes bound a backend service's tokens. */
    static final String ROLE_SETTING = "settings.client.fhir-anchor.role";

    /**
     * What an admin asks for.
     *
     * @param clientId the client id (generated when blank)
     * @param name a display name, shown on the consent screen
     * @param redirectUris for apps: where codes are sent (https, or http on 127.0.0.1)
     * @param scopes the scopes the client may ask for
     * @param jwks an inline JWKS of public keys (JSON), or {@code null}
     * @param jwksUrl the URL of the client's JWKS, or {@code null}
     * @param role for a backend service: the role whose scopes bound its scopes
     */
    public record Registration(
            String clientId,
            String name,
            List<String> redirectUris,
            Set<String> scopes,
            String jwks,
            String jwksUrl,
            Role role) {}

    /** A registered client as shown to an admin. */
    public record ClientSummary(
            String clientId, String name, Set<String> grantTypes, Set<String> scopes, Set<String> redirectUris) {}

    private final RegisteredClientRepository repository;
    private final JdbcTemplate jdbc;
    private final SmartProperties properties;

    SmartClients(RegisteredClientRepository repository, DataSource dataSource, SmartProperties properties) {
        this.repository = repository;
        this.jdbc = new JdbcTemplate(dataSource);
        this.properties = properties;
    }

    public ClientSummary register(Registration request) {
        String clientId = request.clientId() == null || request.clientId().isBlank()
                ? UUID.randomUUID().toString()
                : request.clientId();
        if (!clientId.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new IllegalArgumentException("A client id is 1 to 100 letters, digits and . _ -");
        }
        if (repository.findByClientId(clientId) != null) {
            throw new IllegalArgumentException("Client " + clientId + " exists already");
        }
        List<String> redirects = request.redirectUris() == null ? List.of() : request.redirectUris();
        Set<String> scopes = request.scopes() == null ? Set.of() : request.scopes();
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("A client needs at least one scope");
        }
        boolean keys = request.jwks() != null || request.jwksUrl() != null;
        if (request.jwks() != null && request.jwksUrl() != null) {
            throw new IllegalArgumentException("Give the client's keys inline (jwks) or by URL (jwksUrl), not both");
        }
        if (request.jwks() != null) {
            checkJwks(request.jwks());
        }
        if (request.jwksUrl() != null) {
            checkUrl(request.jwksUrl(), "jwksUrl");
        }
        redirects.forEach(uri -> checkUrl(uri, "redirect URI"));
        if (redirects.isEmpty() && !keys) {
            throw new IllegalArgumentException(
                    "An app needs redirect URIs; a backend service needs its keys (jwks or jwksUrl)");
        }
        if (redirects.isEmpty()) {
            if (request.role() == null) {
                throw new IllegalArgumentException("A backend service needs a role, which bounds its scopes");
            }
            scopes.stream()
                    .filter(scope -> !ScopePolicy.permits(request.role(), scope))
                    .findFirst()
                    .ifPresent(scope -> {
                        throw new IllegalArgumentException("Scope " + scope + " is beyond the role "
                                + request.role().code());
                    });
        }
        ClientSettings.Builder settings = ClientSettings.builder()
                .requireProofKey(!redirects.isEmpty())
                .requireAuthorizationConsent(!redirects.isEmpty());
        if (request.jwksUrl() != null) {
            settings.jwkSetUrl(request.jwksUrl());
        }
        if (request.jwks() != null) {
            settings.setting(JWKS_SETTING, request.jwks());
        }
        if (request.role() != null) {
            settings.setting(ROLE_SETTING, request.role().code());
        }
        if (keys) {
            settings.tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.ES384);
        }
        RegisteredClient.Builder client = RegisteredClient.withId(
                        UUID.randomUUID().toString())
                .clientId(clientId)
                .clientName(request.name() == null || request.name().isBlank() ? clientId : request.name())
                .clientAuthenticationMethod(
                        keys ? ClientAuthenticationMethod.PRIVATE_KEY_JWT : ClientAuthenticationMethod.NONE)
                .scopes(s -> s.addAll(scopes))
                .clientSettings(settings.build())
                .tokenSettings(TokenSettings.builder()
                        .accessTokenTimeToLive(properties.accessTokenTtl())
                        .refreshTokenTimeToLive(properties.refreshTokenTtl())
                        .authorizationCodeTimeToLive(properties.authorizationCodeTtl())
                        .idTokenSignatureAlgorithm(SignatureAlgorithm.ES256)
                        .reuseRefreshTokens(false)
                        .build());
        if (redirects.isEmpty()) {
            client.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS);
        } else {
            client.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                    .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                    .redirectUris(uris -> uris.addAll(redirects));
        }
        RegisteredClient built = client.build();
        repository.save(built);
        return summary(built);
    }

    /** Removes the client and every authorization and consent it holds; its tokens stop refreshing. */
    public boolean revoke(String clientId) {
        RegisteredClient client = repository.findByClientId(clientId);
        if (client == null) {
            return false;
        }
        jdbc.update("DELETE FROM oauth2_authorization WHERE registered_client_id = ?", client.getId());
        jdbc.update("DELETE FROM oauth2_authorization_consent WHERE registered_client_id = ?", client.getId());
        jdbc.update("DELETE FROM oauth2_registered_client WHERE id = ?", client.getId());
        return true;
    }

    public List<ClientSummary> list() {
        return jdbc
                .queryForList("SELECT client_id FROM oauth2_registered_client ORDER BY client_id", String.class)
                .stream()
                .map(repository::findByClientId)
                .map(SmartClients::summary)
                .toList();
    }

    static ClientSummary summary(RegisteredClient client) {
        Set<String> grants = new LinkedHashSet<>();
        client.getAuthorizationGrantTypes().forEach(grant -> grants.add(grant.getValue()));
        return new ClientSummary(
                client.getClientId(), client.getClientName(), grants, client.getScopes(), client.getRedirectUris());
    }

    /** The role a backend service acts with, if it has one. */
    static Role roleOf(RegisteredClient client) {
        Object role = client.getClientSettings().getSetting(ROLE_SETTING);
        return role == null ? null : Role.fromCode(role.toString());
    }

    private static void checkJwks(String json) {
        try {
            JWKSet set = JWKSet.parse(json);
            if (set.getKeys().isEmpty() || set.getKeys().stream().anyMatch(key -> key.isPrivate())) {
                throw new IllegalArgumentException("The JWKS must hold public keys only, at least one");
            }
        } catch (ParseException e) {
            throw new IllegalArgumentException("The JWKS is not a JSON Web Key Set");
        }
    }

    private static void checkUrl(String value, String what) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The " + what + " is not a URI");
        }
        boolean loopback = "127.0.0.1".equals(uri.getHost()) || "[::1]".equals(uri.getHost());
        if (uri.getFragment() != null
                || uri.getHost() == null
                || !("https".equals(uri.getScheme()) || ("http".equals(uri.getScheme()) && loopback))) {
            throw new IllegalArgumentException(
                    "The " + what + " must be https (http only on 127.0.0.1), without a fragment");
        }
    }
}
