package org.fhiranchor.server.bulk;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Bulk Data export ({@code fhir-anchor.bulk-export.*}).
 *
 * @param enabled whether {@code $export} is offered at all
 * @param maintenanceInterval how often HAPI's batch2 job maintenance moves export jobs on (HAPI's own default is a
 *     minute, which makes even a tiny export take minutes)
 * @param retryAfter the {@code Retry-After} a status poll of a running export answers with
 * @param fileRetention how long the export files are kept after the export (HAPI deletes them then)
 */
@Validated
@ConfigurationProperties("fhir-anchor.bulk-export")
public record BulkExportProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("2s") Duration maintenanceInterval,
        @DefaultValue("2s") Duration retryAfter,
        @DefaultValue("2h") Duration fileRetention) {}
