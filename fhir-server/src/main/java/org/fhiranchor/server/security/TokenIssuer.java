package org.fhiranchor.server.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * Mints access tokens signed with the embedded key: used by the {@code token} command line and by
 * tests, never exposed over HTTP (there is no token endpoint in the embedded setup).
 */
public final class TokenIssuer {

    /**
     * What a token is for.
     *
     * @param role the built-in role whose scopes the token carries
     * @param subject {@code sub}: who the caller is (an EHR system's name, a user id)
     * @param ttl lifetime from now
     * @param patientId for the patient role: the Patient id its compartment is limited to
     * @param clientId {@code client_id}; defaults to the subject
     * @param fhirUser {@code fhirUser}: the caller as a FHIR resource (a clinician's
     *     {@code Practitioner/y}, {@code PractitionerRole/r} or {@code Organization/x}, a researcher's
     *     {@code Organization/x}); the consent engine decides reads and releases for this identity
     * @param purposeOfUse {@code purpose_of_use}: a v3-ActReason code such as HRESCH (research) or
     *     BTG (a clinician's break-glass)
     */
    public record TokenRequest(
            Role role,
            String subject,
            Duration ttl,
            String patientId,
            String clientId,
            String fhirUser,
            String purposeOfUse) {

        public TokenRequest(Role role, String subject, Duration ttl, String patientId, String clientId) {
            this(role, subject, ttl, patientId, clientId, null, null);
        }

        public TokenRequest {
            if (subject == null || subject.isBlank()) {
                throw new IllegalArgumentException("A token needs a subject");
            }
            if (ttl == null || ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("A token needs a positive lifetime");
            }
            if (role == Role.PATIENT && (patientId == null || patientId.isBlank())) {
                throw new IllegalArgumentException("A patient token needs the patient's id (--patient)");
            }
            if (role == Role.INSURER && (fhirUser == null || !fhirUser.startsWith("Organization/"))) {
                throw new IllegalArgumentException(
                        "An insurer token needs its Organization (--fhir-user Organization/<id>)");
            }
        }

        public static TokenRequest of(Role role, String subject, Duration ttl) {
            return new TokenRequest(role, subject, ttl, null, null);
        }
    }

    private final ECKey signingKey;
    private final String issuer;
    private final String audience;
    private final Clock clock;

    public TokenIssuer(ECKey signingKey, String issuer, String audience, Clock clock) {
        this.signingKey = signingKey;
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
    }

    public String mint(TokenRequest request) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject(request.subject())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(request.ttl())))
                .jwtID(UUID.randomUUID().toString())
                .claim("scope", request.role().scopeClaim())
                .claim(AccessGrant.ROLE_CLAIM, request.role().code())
                .claim(
                        AccessGrant.CLIENT_ID_CLAIM,
                        request.clientId() == null ? request.subject() : request.clientId());
        if (request.patientId() != null) {
            claims.claim(AccessGrant.PATIENT_CLAIM, request.patientId());
        }
        if (request.fhirUser() != null) {
            claims.claim(ResearchRequesterInterceptor.FHIR_USER_CLAIM, request.fhirUser());
        }
        if (request.purposeOfUse() != null) {
            claims.claim(ResearchRequesterInterceptor.PURPOSE_CLAIM, request.purposeOfUse());
        }
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256)
                .type(JOSEObjectType.JWT)
                .keyID(signingKey.getKeyID())
                .build();
        SignedJWT jwt = new SignedJWT(header, claims.build());
        try {
            jwt.sign(new ECDSASigner(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign the token", e);
        }
        return jwt.serialize();
    }
}
