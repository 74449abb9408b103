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
        return Jwt.withTokenValue(token).header("alg", "ES256").subject(token)
                .issuedAt(NOW.minusSeconds(60)).expiresAt(NOW.plusSeconds(600)).build();
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
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now[0]; }
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
}
