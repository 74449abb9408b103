package org.fhiranchor.server.anchoring;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What gets anchored and how often ({@code fhir-anchor.anchoring.*}).
 *
 * @param mode {@code checkpoint}: one transaction per checkpoint (tree size, root);
 *     {@code per-version}: each version's leaf hash in its own transaction; {@code off}: plain
 *     HAPI, nothing logged or anchored
 * @param checkpointEveryEntries a checkpoint is taken once this many new leaves wait...
 * @param checkpointInterval ...or once the oldest waiting leaf is this old
 * @param sequencerInterval how often committed entries are given leaf indexes
 * @param jobInterval how often the anchoring job looks for work
 * @param sequencerBatchSize entries sequenced per database transaction
 */
@Validated
@ConfigurationProperties("fhir-anchor.anchoring")
public record AnchoringProperties(
        @DefaultValue("checkpoint") Mode mode,
        @DefaultValue("1000") @Min(1) int checkpointEveryEntries,
        @DefaultValue("10s") Duration checkpointInterval,
        @DefaultValue("200ms") Duration sequencerInterval,
        @DefaultValue("500ms") Duration jobInterval,
        @DefaultValue("5000") @Min(1) int sequencerBatchSize) {

    public enum Mode {
        CHECKPOINT,
        PER_VERSION,
        OFF
    }

    public boolean enabled() {
        return mode != Mode.OFF;
    }
}
