package org.fhiranchor.server.research;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import java.time.Clock;
import java.util.List;
import org.fhiranchor.server.access.AuditEventWriter;
import org.fhiranchor.server.anchoring.CheckpointRequests;
import org.fhiranchor.server.archive.ArchiveStore;
import org.fhiranchor.server.consent.ConsentFlattener;
import org.fhiranchor.server.consent.ConsentKeys;
import org.fhiranchor.server.consent.ConsentOutbox;
import org.fhiranchor.server.consent.PatientConsents;
import org.fhiranchor.server.consent.RequesterResolver;
import org.fhiranchor.server.consent.ResearchAuditWriter;
import org.fhiranchor.server.fhir.RestfulServerCustomizer;
import org.fhiranchor.server.jobs.JobsProperties;
import org.fhiranchor.server.jobs.PeriodicJobs;
import org.fhiranchor.server.log.JdbcSubtreeHashes;
import org.fhiranchor.server.log.LogDatabase;
import org.fhiranchor.server.log.LogRepository;
import org.fhiranchor.server.log.VersionHasher;
import org.fhiranchor.server.verify.VersionVerifier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Research exports: only in checkpoint mode, because their proof is a checkpoint's. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${fhir-anchor.anchoring.mode:checkpoint}'.toLowerCase() == 'checkpoint'")
class ResearchConfiguration {

    @Bean
    ExportRepository exportRepository(LogDatabase db) {
        return new ExportRepository(db.jdbc());
    }

    @Bean
    ExportServices exportServices(
            DaoRegistry daoRegistry,
            ObjectProvider<AuditEventWriter> auditEvents,
            FhirContext fhirContext,
            ConsentFlattener flattener,
            ConsentOutbox outbox,
            ConsentKeys keys,
            LogRepository log,
            VersionVerifier verifier,
            VersionHasher hasher,
            JdbcSubtreeHashes subtrees,
            ArchiveStore store,
            CheckpointRequests checkpointRequests,
            ExportRepository exports,
            ResearchProperties properties) {
        return new ExportServices(
                daoRegistry,
                fhirContext,
                new PatientConsents(daoRegistry, flattener),
                outbox,
                keys,
                new ResearchAuditWriter(
                        auditEvents.getIfAvailable(() -> AuditEventWriter.throughDao(daoRegistry)), Clock.systemUTC()),
                log,
                verifier,
                hasher,
                subtrees,
                store,
                checkpointRequests,
                exports,
                properties,
                Clock.systemUTC());
    }

    @Bean
    PeriodicJobs researchExportJobs(ExportServices services, ResearchProperties properties, JobsProperties jobs) {
        // Its own thread: an export runs for minutes and must never hold up sequencing or anchoring.
        return new PeriodicJobs(
                List.of(new PeriodicJobs.Job(
                        "research-export",
                        new ExportRunner(services),
                        properties.pollInterval(),
                        properties.pollInterval())),
                jobs.niceness());
    }

    @Bean
    RestfulServerCustomizer researchExportOperations(
            ExportRepository exports,
            ArchiveStore store,
            RequesterResolver requesters,
            DaoRegistry daoRegistry,
            FhirContext fhirContext) {
        return server -> server.registerProvider(
                new ResearchExportOperations(exports, store, requesters, daoRegistry, fhirContext, Clock.systemUTC()));
    }
}
