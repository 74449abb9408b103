package org.fhiranchor.server.research;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Research exports ({@code fhir-anchor.research.*}).
 *
 * @param maxResourcesPerFile lines per NDJSON file; a type with more resources gets several files
 * @param pageSize resources read from the database per page
 * @param pollInterval how often the runner looks for queued exports
 * @param proofTimeout how long an export waits for its checkpoint and consent decisions to be on chain before it
 *     fails (the chain being down for longer fails the export; it can be asked for again)
 * @param staleAfter a running export whose heartbeat is older than this is taken over (its server died)
 */
@Validated
@ConfigurationProperties("fhir-anchor.research")
public record ResearchProperties(
        @DefaultValue("10000") @Min(1) @Max(1_000_000) int maxResourcesPerFile,
        @DefaultValue("500") @Min(1) @Max(10_000) int pageSize,
        @DefaultValue("500ms") Duration pollInterval,
        @DefaultValue("10m") Duration proofTimeout,
        @DefaultValue("2m") Duration staleAfter) {}
