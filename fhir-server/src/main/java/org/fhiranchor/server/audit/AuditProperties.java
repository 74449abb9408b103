package org.fhiranchor.server.audit;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the access audit trail ({@code fhir-anchor.audit.*}).
 *
 * @param enabled whether accesses are recorded (switching it off is for benchmarks only)
 * @param observer the name this server gives itself as AuditEvent.source.observer
 * @param batchSize how many AuditEvents one batch record seals at most (docs/verification.md 4.2)
 * @param sealInterval how long the oldest unsealed AuditEvent waits at most before a partial batch is sealed
 * @param materializeInterval how often committed audit records become AuditEvent resources (readers of the
 *     trail do not wait for it: reading AuditEvents materializes what is waiting first)
 * @param maxWait how long a request waits for its audit record to commit before it is refused (fail closed)
 * @param store where AuditEvents are kept: {@code table} (the default), the audit trail's own store, written with the
 *     request and served from there; or {@code hapi}, as HAPI resources made from the outbox shortly after each
 *     request
 */
@Validated
@ConfigurationProperties("fhir-anchor.audit")
public record AuditProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("fhir-anchor") @NotBlank String observer,
        @DefaultValue("1000") @Min(1) @Max(100_000) int batchSize,
        @DefaultValue("5s") @NotNull Duration sealInterval,
        @DefaultValue("500ms") @NotNull Duration materializeInterval,
        @DefaultValue("10s") @NotNull Duration maxWait,
        @DefaultValue("table") @NotNull Store store) {

    /** Where AuditEvents are kept (docs/security.md, "Where the audit trail is kept"). */
    public enum Store {
        HAPI,
        TABLE
    }
}
