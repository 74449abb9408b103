package org.fhiranchor.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;

class VerifiedTokenCacheTest {

    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    private final AtomicInteger verifications = new AtomicInteger();
    private Instant validatorNow = NOW;

    /** Accepts "good-*" tokens (expiring 10 minutes from NOW), refuses everything else. */
    private final JwtDecoder signatureChecker = token -> {
        verifications.incrementAndGet();
        if (!token.startsWith("good-")) {
            throw new BadJwtException("bad signature");
        }
        return Jwt.withTokenValue(token)
                .header("alg", "ES256")
                .subject(token)
                .issuedAt(NOW.minusSeconds(60))
                .expiresAt(NOW.plusSeconds(600))
                .build();
    };

    private final OAuth2TokenValidator<Jwt> expiry = jwt -> validatorNow.isBefore(jwt.getExpiresAt())
            ? OAuth2TokenValidatorResult.success()
            : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "expired", null));

    private VerifiedTokenCache cache(Clock clock) {
        return new VerifiedTokenCache(signatureChecker, expiry, 2, Duration.ofMinutes(5), clock);
    }

    @Test
    void aReusedTokenIsVerifiedOnce_aBadOneEveryTime() {
        VerifiedTokenCache cache = cache(Clock.fixed(NOW, ZoneOffset.UTC));
        for (int i = 0; i < 5; i++) {
            assertThat(cache.decode("good-a").getSubject()).isEqualTo("good-a");
        }
        assertThat(verifications).hasValue(1);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> cache.decode("forged")).isInstanceOf(BadJwtException.class);
        }
        assertThat(verifications).hasValue(4);
    }

    @Test
    void claimsAreStillCheckedOnEveryRequest() {
        VerifiedTokenCache cache = cache(Clock.fixed(NOW, ZoneOffset.UTC));
        cache.decode("good-a");
        validatorNow = NOW.plusSeconds(601);
        assertThatThrownBy(() -> cache.decode("good-a")).isInstanceOf(JwtValidationException.class);
    }

    @Test
    void entriesAgeOutAndTheCacheIsBounded() {
        Instant[] now = {NOW};
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        VerifiedTokenCache cache = cache(clock);
        cache.decode("good-a");
        now[0] = NOW.plus(Duration.ofMinutes(5));
        cache.decode("good-a"); // max age reached: verified again
        assertThat(verifications).hasValue(2);
        cache.decode("good-b");
        cache.decode("good-c"); // evicts good-a (capacity 2)
        cache.decode("good-a");
        assertThat(verifications).hasValue(5);
    }

    /**
     * The real stack (ES256 signature by the embedded decoder, Spring's claim validators, 30 s clock skew): a token
     * verified once and served from the cache is refused once it has expired.
     */
    @Test
    void aCachedRealTokenIsRefusedOnceExpired() throws Exception {
        Instant start = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant[] now = {start};
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        SecurityProperties properties = new SecurityProperties(
                "urn:fhir-anchor:embedded-issuer",
                "fhir-anchor",
                null,
                null,
                null,
                "ES256",
                Duration.ofSeconds(30),
                Duration.ofHours(1),
                Duration.ofDays(30),
                false);
        com.nimbusds.jose.jwk.ECKey key = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(
                        com.nimbusds.jose.jwk.Curve.P_256)
                .keyID("test")
                .generate();
        String token = new TokenIssuer(key, properties.issuer(), properties.audience(), clock)
                .mint(TokenIssuer.TokenRequest.of(Role.ADMIN, "someone", Duration.ofMinutes(10)));
        JwtDecoder real = JwtDecoders.embedded(key, properties, clock);
        JwtDecoder counted = t -> {
            verifications.incrementAndGet();
            return real.decode(t);
        };
        VerifiedTokenCache cache = new VerifiedTokenCache(
                counted, JwtDecoders.validator(properties, clock), 16, Duration.ofHours(1), clock);

        assertThat(cache.decode(token).getSubject()).isEqualTo("someone");
        now[0] = start.plus(Duration.ofMinutes(9));
        assertThat(cache.decode(token).getSubject()).isEqualTo("someone");
        assertThat(verifications).as("served from the cache").hasValue(1);

        now[0] = start.plus(Duration.ofMinutes(10)).plusSeconds(31); // past exp and the clock skew
        assertThatThrownBy(() -> cache.decode(token))
                .isInstanceOf(org.springframework.security.oauth2.jwt.JwtException.class)
                .hasMessageContaining("expired");
        assertThatThrownBy(() -> cache.decode(token))
                .isInstanceOf(org.springframework.security.oauth2.jwt.JwtException.class);
        // A token that was never valid stays refused, cached neighbour or not.
        assertThatThrownBy(() -> cache.decode(token.substring(0, token.length() - 4) + "AAAA"))
                .isInstanceOf(org.springframework.security.oauth2.jwt.JwtException.class);
    }
}
