package org.fhiranchor.server.smart;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContext;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;

/**
 * Verifies {@code private_key_jwt} client assertions as SMART Backend Services asks: signed RS384 or
 * ES384 by a key of the client's JWKS (inline or by URL); {@code iss} and {@code sub} the client id;
 * {@code aud} the token endpoint's URL; {@code exp} present, not passed, and at most
 * {@code max-assertion-lifetime} (5 minutes) ahead; {@code jti} present and never seen before.
 */
final class ClientAssertionDecoders implements JwtDecoderFactory<RegisteredClient> {

    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);
    private static final Duration SKEW = Duration.ofSeconds(30);

    private final UsedAssertions used;
    private final Duration maxLifetime;
    private final Clock clock;

    ClientAssertionDecoders(UsedAssertions used, Duration maxLifetime, Clock clock) {
        this.used = used;
        this.maxLifetime = maxLifetime;
        this.clock = clock;
    }

    @Override
    public JwtDecoder createDecoder(RegisteredClient client) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys(client)));
        processor.setJWTClaimsSetVerifier((claims, context) -> {});
        NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
        AuthorizationServerContext server = AuthorizationServerContextHolder.getContext();
        String tokenEndpoint =
                server.getIssuer() + server.getAuthorizationServerSettings().getTokenEndpoint();
        decoder.setJwtValidator(validator(client.getClientId(), tokenEndpoint));
        return decoder;
    }

    private static JWKSource<SecurityContext> keys(RegisteredClient client) {
        Object inline = client.getClientSettings().getSetting(SmartClients.JWKS_SETTING);
        try {
            if (inline != null) {
                return new ImmutableJWKSet<>(JWKSet.parse(inline.toString()));
            }
            String url = client.getClientSettings().getJwkSetUrl();
            if (url != null) {
                return JWKSourceBuilder.create(URI.create(url).toURL()).build();
            }
        } catch (ParseException | MalformedURLException e) {
            throw new IllegalStateException("Client " + client.getClientId() + " has an unusable JWKS", e);
        }
        return new ImmutableJWKSet<>(new JWKSet());
    }

    OAuth2TokenValidator<Jwt> validator(String clientId, String tokenEndpoint) {
        return jwt -> {
            Instant now = clock.instant();
            Instant exp = jwt.getExpiresAt();
            String problem = null;
            // iss as a string: a client id is not a URL (getIssuer() insists on one).
            if (!clientId.equals(jwt.getClaimAsString("iss")) || !clientId.equals(jwt.getSubject())) {
                problem = "iss and sub must be the client id";
            } else if (jwt.getAudience() == null || !jwt.getAudience().contains(tokenEndpoint)) {
                problem = "aud must be the token endpoint";
            } else if (exp == null || exp.isBefore(now.minus(SKEW))) {
                problem = "the assertion has expired";
            } else if (exp.isAfter(now.plus(maxLifetime).plus(SKEW))) {
                problem = "exp is more than " + maxLifetime.toMinutes() + " minutes ahead";
            } else if (jwt.getNotBefore() != null && jwt.getNotBefore().isAfter(now.plus(SKEW))) {
                problem = "the assertion is not valid yet";
            } else if (jwt.getId() == null || jwt.getId().isBlank()) {
                problem = "jti is required";
            } else if (!used.firstUse(clientId, jwt.getId(), exp)) {
                problem = "jti was used before";
            }
            return problem == null
                    ? OAuth2TokenValidatorResult.success()
                    : OAuth2TokenValidatorResult.failure(
                            new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, problem, null));
        };
    }
}
