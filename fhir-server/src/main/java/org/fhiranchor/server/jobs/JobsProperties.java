package org.fhiranchor.server.jobs;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The background jobs' threads.
 *
 * @param niceness the Linux nice value of the job threads that do heavy work which may wait (archive, consent decisions,
 *     research exports): 0 leaves them at the server's priority; a positive value lets request threads win the CPU
 *     when both want it, while the jobs still get all the CPU nobody else uses. The sequencer and the checkpoint job
 *     stay at the server's priority: they are light, and the anchoring lag depends on them.
 */
@Validated
@ConfigurationProperties("fhir-anchor.jobs")
public record JobsProperties(
        @DefaultValue("10") @Min(0) @Max(19) int niceness) {}
