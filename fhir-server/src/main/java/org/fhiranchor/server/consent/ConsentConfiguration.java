package org.fhiranchor.server.consent;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.fhiranchor.server.access.AuditEventWriter;
import org.fhiranchor.server.anchoring.ChainConnection;
import org.fhiranchor.server.fhir.ResponseFilter;
import org.fhiranchor.server.fhir.RestfulServerCustomizer;
import org.fhiranchor.server.jobs.JobsProperties;
import org.fhiranchor.server.jobs.PeriodicJobs;
import org.fhiranchor.server.log.LogDatabase;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/** Consent decisions on chain, $verify's consent part, and research release enforcement. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${fhir-anchor.anchoring.mode:checkpoint}'.toLowerCase() != 'off'")
class ConsentConfiguration {

    @Bean
    ConsentKeys consentKeys(ConsentProperties properties, @Value("${fhir-anchor.data-dir}") Path dataDir) {
        if (properties.hmacKey() != null && !properties.hmacKey().isBlank()) {
            return ConsentKeys.fromHex(properties.hmacKey());
        }
        if (properties.hmacKeyFile() != null) {
            return ConsentKeys.read(properties.hmacKeyFile());
        }
        // Created on first use: a server that never stores a Consent writes no key file.
        Path file = dataDir.resolve("keys").resolve("consent-hmac.key");
        return ConsentKeys.lazy(() -> ConsentKeys.loadOrCreate(file));
    }

    @Bean
    ConsentFlattener consentFlattener(ConsentProperties properties) {
        return new ConsentFlattener(Set.copyOf(properties.acceptedPolicies()));
    }

    @Bean
    ConsentOutbox consentOutbox(LogDatabase db) {
        return new ConsentOutbox(db.jdbc());
    }

    @Bean
    ConsentStorageInterceptor consentStorageInterceptor(
            ConsentFlattener flattener,
            ConsentKeys keys,
            ConsentOutbox outbox,
            IInterceptorService interceptorService) {
        ConsentStorageInterceptor interceptor =
                new ConsentStorageInterceptor(flattener, keys, outbox, Clock.systemUTC());
        // The storage layer, not the REST server: transaction entries and internal writes too.
        interceptorService.registerInterceptor(interceptor);
        return interceptor;
    }

    @Bean
    PeriodicJobs consentJobs(
            ChainConnection chain,
            ConsentOutbox outbox,
            LogDatabase db,
            ConsentProperties properties,
            JobsProperties jobs) {
        ConsentDecisionJob job = new ConsentDecisionJob(chain, outbox, properties.jobBatchSize(), Clock.systemUTC());
        return new PeriodicJobs(
                List.of(new PeriodicJobs.Job(
                        "consent-decisions", job::run, properties.jobInterval(), properties.jobInterval())),
                jobs.niceness());
    }

    @Bean
    ConsentVerification consentVerification(
            DaoRegistry daoRegistry,
            ConsentFlattener flattener,
            ConsentKeys keys,
            ConsentOutbox outbox,
            ChainConnection chain) {
        return new ConsentVerification(daoRegistry, flattener, keys, outbox, new ConsentChainReader(chain));
    }

    @Bean
    RequesterResolver requesterResolver() {
        return RequesterResolver.fromUserData();
    }

    /** Patient-privacy consents on Bulk Data exports: a patient who denies disclosure is absent (docs/bulk-export.md). */
    @Bean
    @Order(300)
    @ConditionalOnProperty(name = "fhir-anchor.consent.enforcement", havingValue = "true", matchIfMissing = true)
    DisclosureConsentFilter disclosureConsentEnforcement(
            DaoRegistry daoRegistry, ConsentFlattener flattener, FhirContext fhirContext) {
        return new DisclosureConsentFilter(new PatientConsents(daoRegistry, flattener), fhirContext, Clock.systemUTC());
    }

    /** Clinical reads: a response filter on the requests of a clinical reader (docs/consent.md section 5). */
    @Bean
    @Order(150)
    @ConditionalOnProperty(name = "fhir-anchor.consent.enforcement", havingValue = "true", matchIfMissing = true)
    PrivacyConsentService privacyConsentEnforcement(
            DaoRegistry daoRegistry,
            ConsentFlattener flattener,
            ConsentProperties properties,
            ConsentStorageInterceptor storage,
            FhirContext fhirContext) {
        PatientConsents consents =
                new PatientConsents(daoRegistry, flattener, properties.cacheTtl(), Clock.systemUTC());
        storage.invalidates(consents);
        return new PrivacyConsentService(
                consents,
                new CallerIdentities(daoRegistry),
                properties.clinicalPolicy(),
                fhirContext,
                Clock.systemUTC());
    }

    /** A bulk export kicked off by a clinical reader carries the reader into its job, for the filter above. */
    @Bean
    @ConditionalOnProperty(name = "fhir-anchor.consent.enforcement", havingValue = "true", matchIfMissing = true)
    RestfulServerCustomizer bulkExportReader() {
        return server -> server.registerInterceptor(new BulkExportReaderInterceptor());
    }

    /** Research release enforcement: a response filter on the requests that carry a research requester. */
    @Bean
    @Order(200)
    @ConditionalOnProperty(name = "fhir-anchor.consent.enforcement", havingValue = "true", matchIfMissing = true)
    ResponseFilter researchConsentEnforcement(
            RequesterResolver requesters,
            DaoRegistry daoRegistry,
            ObjectProvider<AuditEventWriter> auditEvents,
            ConsentFlattener flattener,
            FhirContext fhirContext) {
        return new ResearchConsentService(
                requesters,
                new PatientConsents(daoRegistry, flattener),
                new ResearchAuditWriter(
                        auditEvents.getIfAvailable(() -> AuditEventWriter.throughDao(daoRegistry)), Clock.systemUTC()),
                fhirContext,
                Clock.systemUTC());
    }
}
