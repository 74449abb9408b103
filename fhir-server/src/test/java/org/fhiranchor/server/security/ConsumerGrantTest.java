package org.fhiranchor.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

/** Which tokens the consumer narrowing applies to: a consumer scope, or a role claim naming a consumer. */
class ConsumerGrantTest {

    @Test
    void aConsumerScope_narrowsTheGrant_andTravelsWithItsScopes() {
        AccessGrant grant = grant(null, "user/*.rs user/ClaimResponse.cu consumer/insurer");
        assertThat(grant.narrowedTo(Consumer.INSURER)).isTrue();
        assertThat(grant.narrowedTo(Consumer.PHARMACIST)).isFalse();
        assertThat(grant.scopeClaim()).contains("consumer/insurer");
        assertThat(AccessGrant.of(
                                "s",
                                null,
                                "c",
                                null,
                                java.util.List.of(grant.scopeClaim().split(" ")))
                        .narrowedTo(Consumer.INSURER))
                .isTrue();
    }

    @Test
    void aConsumerRoleClaim_narrowsEvenWithoutTheScope() {
        assertThat(grant("pharmacist", "user/Patient.rs").narrowedTo(Consumer.PHARMACIST))
                .isTrue();
        assertThat(grant("insurer", "user/*.rs").narrowedTo(Consumer.INSURER)).isTrue();
        assertThat(grant("clinician", "user/*.rs").consumers()).isEmpty();
    }

    @Test
    void builtInRoles_carryTheirConsumerScope_andAdminsAreNeverNarrowed() {
        assertThat(Role.PHARMACIST.scopes()).contains(Consumer.PHARMACIST.scope());
        assertThat(Role.INSURER.scopes()).contains(Consumer.INSURER.scope());
        assertThat(grant(null, "admin consumer/insurer").narrowedTo(Consumer.INSURER))
                .isFalse();
    }

    private static AccessGrant grant(String role, String scopes) {
        Jwt.Builder jwt = Jwt.withTokenValue("t")
                .header("alg", "ES256")
                .subject("consumer-test")
                .claim("scope", scopes)
                .issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(60));
        if (role != null) {
            jwt.claim("role", role);
        }
        return AccessGrant.of(jwt.build());
    }
}
