package org.fhiranchor.server.smart;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the SMART authorization server ({@code fhir-anchor.smart.*}); it runs only with the
 * embedded issuer.
 *
 * @param enabled whether the server offers login, launch and token endpoints
 * @param issuerUrl the server's public base URL (e.g. {@code https://fhir.example.org}): the OpenID
 *     issuer and the base of every advertised endpoint; unset, it is taken from each request
 * @param accessTokenTtl lifetime of an access token
 * @param refreshTokenTtl lifetime of a refresh token ({@code offline_access})
 * @param authorizationCodeTtl lifetime of an authorization code
 * @param maxFailedLogins failed logins in a row after which an account is locked
 * @param lockout how long such an account stays locked
 * @param maxAssertionLifetime the longest {@code exp - now} a client assertion may have (SMART: 5 minutes)
 * @param allowedOrigins browser origins (CORS) allowed to call the token endpoint and the FHIR API
 */
@Validated
@ConfigurationProperties("fhir-anchor.smart")
public record SmartProperties(
        @DefaultValue("true") boolean enabled,
        URI issuerUrl,
        @DefaultValue("1h") @NotNull Duration accessTokenTtl,
        @DefaultValue("30d") @NotNull Duration refreshTokenTtl,
        @DefaultValue("5m") @NotNull Duration authorizationCodeTtl,
        @DefaultValue("5") @Min(1) int maxFailedLogins,
        @DefaultValue("15m") @NotNull Duration lockout,
        @DefaultValue("5m") @NotNull Duration maxAssertionLifetime,
        @DefaultValue("") List<String> allowedOrigins) {}
