package org.fhiranchor.server.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.util.List;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Decoders that accept exactly one signature algorithm (never {@code none}: Nimbus refuses unsigned
 * tokens outright), and check issuer, audience, {@code exp} (required) and {@code nbf}.
 */
final class JwtDecoders {

    private JwtDecoders() {}

    /** Tokens signed by the embedded key. */
    static JwtDecoder embedded(ECKey key, SecurityProperties properties) {
        return embedded(key, properties, java.time.Clock.systemUTC());
    }

    /** Tokens signed by the embedded key, {@code exp} and {@code nbf} checked against {@code clock}. */
    static JwtDecoder embedded(ECKey key, SecurityProperties properties, java.time.Clock clock) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                JWSAlgorithm.parse(properties.algorithm()), new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK()))));
        // Claims are checked by Spring's validators below, with the configured clock skew.
        processor.setJWTClaimsSetVerifier((claims, context) -> {});
        NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
        decoder.setJwtValidator(validator(properties, clock));
        return decoder;
    }

    /**
     * Tokens from an external OIDC issuer (Keycloak, ...), keys fetched from its JWKS: the one
     * configured, or the one its discovery document names.
     */
    static JwtDecoder external(SecurityProperties properties) {
        SignatureAlgorithm algorithm = SignatureAlgorithm.from(properties.algorithm());
        if (algorithm == null) {
            throw new IllegalStateException("Unsupported fhir-anchor.security.algorithm " + properties.algorithm());
        }
        NimbusJwtDecoder decoder = properties.jwkSetUri() != null
                ? NimbusJwtDecoder.withJwkSetUri(properties.jwkSetUri().toString())
                        .jwsAlgorithm(algorithm)
                        .build()
                : NimbusJwtDecoder.withIssuerLocation(properties.issuerUri().toString())
                        .jwsAlgorithm(algorithm)
                        .build();
        decoder.setJwtValidator(validator(properties));
        return decoder;
    }

    static OAuth2TokenValidator<Jwt> validator(SecurityProperties properties) {
        return validator(properties, java.time.Clock.systemUTC());
    }

    /** The claim checks, {@code exp} and {@code nbf} against {@code clock}. */
    static OAuth2TokenValidator<Jwt> validator(SecurityProperties properties, java.time.Clock clock) {
        JwtTimestampValidator timestamps = new JwtTimestampValidator(properties.clockSkew());
        timestamps.setClock(clock);
        return new DelegatingOAuth2TokenValidator<>(List.of(
                timestamps,
                new JwtClaimValidator<>(JwtClaimNames.EXP, exp -> exp != null),
                new JwtIssuerValidator(properties.expectedIssuer()),
                new JwtClaimValidator<List<String>>(
                        JwtClaimNames.AUD, aud -> aud != null && aud.contains(properties.audience()))));
    }
}
