package org.fhiranchor.server.fhir;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the FHIR REST endpoint ({@code fhir-anchor.fhir.*}).
 *
 * @param defaultPageSize search page size when the client sends no {@code _count}
 * @param maxPageSize the largest {@code _count} honoured
 * @param maxRequestBody requests with a larger body are refused with 413
 * @param allowExternalReferences whether references to other servers' absolute URLs may be stored
 * @param metadataCacheTtl how long an encoded {@code /fhir/metadata} answer is served again as it was (0: encoded
 *     for every call)
 */
@Validated
@ConfigurationProperties("fhir-anchor.fhir")
public record FhirServerProperties(
        @DefaultValue("20") @Min(1) int defaultPageSize,
        @DefaultValue("500") @Min(1) @Max(5000) int maxPageSize,
        @DefaultValue("16MB") @NotNull DataSize maxRequestBody,
        @DefaultValue("false") boolean allowExternalReferences,
        @DefaultValue("60s") @NotNull Duration metadataCacheTtl) {}
