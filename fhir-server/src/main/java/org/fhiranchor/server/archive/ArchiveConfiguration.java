package org.fhiranchor.server.archive;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.fhiranchor.ipfs.crypto.KeyRing;
import org.fhiranchor.server.anchoring.ChainConnection;
import org.fhiranchor.server.anchoring.CheckpointRepository;
import org.fhiranchor.server.fhir.StoredResources;
import org.fhiranchor.server.jobs.JobsProperties;
import org.fhiranchor.server.jobs.PeriodicJobs;
import org.fhiranchor.server.log.BatchMembers;
import org.fhiranchor.server.log.LogDatabase;
import org.fhiranchor.server.log.LogRepository;
import org.fhiranchor.server.log.VersionHasher;
import org.fhiranchor.server.log.WriteActivity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The archiver's beans: only in checkpoint anchoring mode (archives are cut at anchored checkpoints). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${fhir-anchor.anchoring.mode:checkpoint}'.toLowerCase() == 'checkpoint' "
        + "and '${fhir-anchor.archive.enabled:true}' == 'true'")
class ArchiveConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ArchiveConfiguration.class);

    @Bean
    ArchiveRepository archiveRepository(LogDatabase db) {
        return new ArchiveRepository(db.jdbc());
    }

    @Bean
    ArchiveStatus archiveStatus(CheckpointRepository checkpoints, ArchiveRepository archives) {
        return new ArchiveStatus(checkpoints, archives);
    }

    @Bean
    Archiver archiver(
            LogRepository logRepository,
            CheckpointRepository checkpoints,
            ArchiveRepository archives,
            LogDatabase db,
            ChainConnection chain,
            StoredResources resources,
            VersionHasher hasher,
            FhirContext fhirContext,
            ArchiveStore store,
            ArchiveStatus status,
            ArchiveProperties properties,
            MeterRegistry registry,
            WriteActivity activity,
            BatchMembers batchMembers,
            @Value("${fhir-anchor.data-dir}") Path dataDir) {
        KeyRing keys = ArchiveKeys.load(properties, dataDir);
        log.info(
                "Archive key id {} ({} key(s) in the ring)",
                keys.currentKeyId(),
                keys.keyIds().size());
        return new Archiver(
                        logRepository,
                        checkpoints,
                        archives,
                        db.jdbc(),
                        db.transactions(),
                        chain::ledger,
                        new StoredVersionSource(resources),
                        hasher,
                        new ArchiveBundleCodec(fhirContext),
                        keys,
                        store,
                        properties.maxLeavesPerBundle(),
                        status,
                        Clock.systemUTC())
                .withMetrics(registry)
                .withBatchMembers(batchMembers)
                // "Clients are busy": a transaction or batch Bundle in progress or just ended, or at least 50
                // versions or audit records stored within the last one to two seconds (every request commits an
                // audit record, so 50 requests a second of any kind count, reads included).
                .withPacing(new Archiver.Pacing(
                        () -> activity.busy(50), properties.busyDutyCycle(), properties.busyMaxBacklog()));
    }

    @Bean
    PeriodicJobs archiveJobs(Archiver archiver, ArchiveProperties properties, JobsProperties jobs) {
        // Its own thread: a slow or absent IPFS store never delays sequencing or anchoring.
        return new PeriodicJobs(
                List.of(new PeriodicJobs.Job(
                        "archive", archiver::run, properties.jobInterval(), properties.jobInterval())),
                jobs.niceness());
    }

    @Bean
    ArchiveHealthIndicator archiveHealthIndicator(ArchiveStatus status, ArchiveStore store) {
        return new ArchiveHealthIndicator(status, store);
    }
}
