package org.fhiranchor.server.audit;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the access audit trail ({@code fhir-anchor.audit.*}).
 *
 * @param enabled whether accesses are recorded (switching it off is for benchmarks only)
 * @param observer the name this server gives itself as AuditEvent.source.observer
 */
@Validated
@ConfigurationProperties("fhir-anchor.audit")
public record AuditProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("fhir-anchor") @NotBlank String observer) {}
