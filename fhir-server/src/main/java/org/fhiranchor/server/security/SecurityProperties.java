package org.fhiranchor.server.security;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of authentication and transport ({@code fhir-anchor.security.*}).
 *
 * @param issuer the {@code iss} every accepted token must carry; the embedded issuer signs with it
 * @param audience the {@code aud} every accepted token must contain
 * @param jwkSetUri an external issuer's JWKS; when set, the embedded key is neither created nor trusted
 * @param issuerUri an external OIDC issuer, found by discovery at start-up; it is then also the
 *     required {@code iss}, and the embedded key is neither created nor trusted
 * @param tokenEndpoint advertised in the SMART configuration when an external issuer hands out tokens
 * @param algorithm the only JWS algorithm accepted (ES256 for the embedded key)
 * @param clockSkew tolerance on {@code exp}/{@code nbf}
 * @param defaultTokenTtl lifetime of a minted token when the command line gives none
 * @param maxTokenTtl the longest lifetime the command line will mint
 * @param allowInsecureHttp permits plain HTTP on a non-loopback address (never in production)
 */
@Validated
@ConfigurationProperties("fhir-anchor.security")
public record SecurityProperties(
        @DefaultValue("urn:fhir-anchor:embedded-issuer") @NotBlank
        String issuer,

        @DefaultValue("fhir-anchor") @NotBlank String audience,
        URI jwkSetUri,
        URI issuerUri,
        URI tokenEndpoint,
        @DefaultValue("ES256") @NotBlank String algorithm,
        @DefaultValue("30s") @NotNull Duration clockSkew,
        @DefaultValue("1h") @NotNull Duration defaultTokenTtl,
        @DefaultValue("30d") @NotNull Duration maxTokenTtl,
        @DefaultValue("false") boolean allowInsecureHttp) {

    /** Whether tokens come from the server's own key rather than an external issuer. */
    public boolean embeddedIssuer() {
        return jwkSetUri == null && issuerUri == null;
    }

    /** The {@code iss} accepted: the discovered issuer's URI when there is one. */
    public String expectedIssuer() {
        return issuerUri != null ? issuerUri.toString() : issuer;
    }
}
