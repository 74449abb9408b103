package org.fhiranchor.server.archive;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The checkpoint archiver ({@code fhir-anchor.archive.*}); active only in checkpoint anchoring mode.
 *
 * @param enabled archive every anchored checkpoint range
 * @param jobInterval how often the archiver looks for anchored, unarchived leaves
 * @param maxLeavesPerBundle a checkpoint range longer than this (a backlog after a chain outage) is archived as
 *     several bundles, so one bundle stays small enough to hold in memory
 * @param keysDir directory of archive key files {@code archive-<keyid>.key} (hex, owner-only); empty means
 *     {@code <data-dir>/keys}. A key is generated there when no key is configured at all (embedded default).
 * @param keyFile production: one key file {@code archive-<keyid>.key}, added to the keys found in {@code keysDir}
 * @param key production: the key itself in hex (environment variable FHIR_ANCHOR_ARCHIVE_KEY); needs {@code keyId}.
 *     Never logged.
 * @param keyId the key id used for new bundles; empty means the greatest key id found (ids start with a date)
 * @param busyDutyCycle while clients are writing, the share of time the archiver may work (it pauses after each
 *     bundle); 0 (default) = it waits until writes stop; 1 = never pause
 * @param busyMaxBacklog the archiver works at full speed, writes or not, once this many anchored leaves wait
 */
@Validated
@ConfigurationProperties("fhir-anchor.archive")
public record ArchiveProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("2s") Duration jobInterval,
        @DefaultValue("1000") @Min(1) @Max(100_000) int maxLeavesPerBundle,
        Path keysDir,
        Path keyFile,
        String key,
        String keyId,

        @DefaultValue("0")
        @jakarta.validation.constraints.DecimalMin("0")
        @jakarta.validation.constraints.DecimalMax("1")
        double busyDutyCycle,

        @DefaultValue("50000") @Min(0) long busyMaxBacklog) {

    @Override
    public String toString() {
        return "ArchiveProperties[enabled=" + enabled + ", jobInterval=" + jobInterval + ", maxLeavesPerBundle="
                + maxLeavesPerBundle + ", keysDir=" + keysDir + ", keyFile=" + keyFile + ", key="
                + (key == null ? "unset" : "(set)") + ", keyId=" + keyId + ", busyDutyCycle=" + busyDutyCycle
                + ", busyMaxBacklog=" + busyMaxBacklog + "]";
    }
}
