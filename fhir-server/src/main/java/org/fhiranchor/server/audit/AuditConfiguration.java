package org.fhiranchor.server.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.fhiranchor.server.fhir.FhirServerProperties;
import org.fhiranchor.server.fhir.RestfulServerCustomizer;
import org.fhiranchor.server.fhir.StoredResources;
import org.fhiranchor.server.jobs.PeriodicJobs;
import org.fhiranchor.server.log.BatchMembers;
import org.fhiranchor.server.log.VersionHasher;
import org.fhiranchor.server.log.WriteActivity;
import org.fhiranchor.server.security.AccessRefused;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "fhir-anchor.audit.enabled", havingValue = "true", matchIfMissing = true)
class AuditConfiguration {

    /** The audit store's tables; present whichever store is chosen (a server switched back still reads them). */
    @Bean
    @DependsOnDatabaseInitialization
    AuditStore auditStore(DataSource dataSource) {
        return new AuditStore(new JdbcTemplate(dataSource));
    }

    /** With {@code store=table}: the writer into the audit store, with the events' batch members. */
    @Bean
    @ConditionalOnProperty(name = "fhir-anchor.audit.store", havingValue = "table", matchIfMissing = true)
    AuditTable auditTable(
            AuditStore store,
            DataSource dataSource,
            Optional<BatchMembers> members,
            FhirContext fhirContext,
            AuditProperties properties,
            MeterRegistry registry,
            Optional<WriteActivity> activity) {
        AuditTable table = new AuditTable(
                        store,
                        members,
                        new VersionHasher(fhirContext),
                        new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                        properties.maxWait())
                .withMetrics(registry);
        activity.ifPresent(table::withActivity);
        return table;
    }

    @Bean
    @ConditionalOnProperty(name = "fhir-anchor.audit.store", havingValue = "table", matchIfMissing = true)
    AuditEventProvider auditEventProvider(
            AuditStore store, AuditTable table, FhirContext fhirContext, FhirServerProperties pages) {
        return new AuditEventProvider(store, table, fhirContext, pages);
    }

    /** With {@code store=table}: AuditEvent over REST from the store, instead of HAPI's provider for the type. */
    @Bean
    @ConditionalOnProperty(name = "fhir-anchor.audit.store", havingValue = "table", matchIfMissing = true)
    RestfulServerCustomizer auditEventRest(AuditEventProvider provider) {
        return server -> {
            server.getResourceProviders().stream()
                    .filter(p -> p.getResourceType().equals(AuditEvent.class))
                    .toList()
                    .forEach(server::unregisterProvider);
            server.registerProvider(provider);
        };
    }

    /** With {@code store=table}: no AuditEvent goes into HAPI's tables (a transaction's entries included). */
    @Bean
    @ConditionalOnProperty(name = "fhir-anchor.audit.store", havingValue = "table", matchIfMissing = true)
    HapiAuditEventGuard hapiAuditEventGuard(IInterceptorService storageInterceptors) {
        HapiAuditEventGuard guard = new HapiAuditEventGuard();
        storageInterceptors.registerInterceptor(guard);
        return guard;
    }

    /** With {@code store=table}: the store's AuditEvents for $verify, the archive and the sweep. */
    @Bean
    @ConditionalOnProperty(name = "fhir-anchor.audit.store", havingValue = "table", matchIfMissing = true)
    StoredResources.OwnStore auditEventVersions(AuditEventProvider provider, AuditStore store) {
        return new StoredResources.OwnStore() {
            @Override
            public String resourceType() {
                return "AuditEvent";
            }

            @Override
            public Optional<IBaseResource> read(String id, String versionId) {
                if (versionId != null && !"1".equals(versionId)) {
                    return Optional.empty();
                }
                return provider.find(id).map(IBaseResource.class::cast);
            }

            @Override
            public List<Long> exportKeys(Instant since, Instant until, long afterKey, int limit) {
                return store.keys(since, until, afterKey, limit);
            }

            @Override
            public List<String> exportJson(List<Long> keys) {
                return store.json(keys);
            }
        };
    }

    /** With {@code store=hapi}: the outbox the AuditEvent resources are materialized from. */
    @Bean
    @DependsOnDatabaseInitialization
    @ConditionalOnProperty(name = "fhir-anchor.audit.store", havingValue = "hapi")
    AuditOutbox auditOutbox(DataSource dataSource, FhirContext fhirContext, AuditProperties properties) {
        return new AuditOutbox(
                new JdbcTemplate(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                fhirContext,
                properties.maxWait());
    }

    @Bean
    @DependsOnDatabaseInitialization
    AuditBatches auditBatches(
            DataSource dataSource,
            PlatformTransactionManager transactionManager,
            DaoRegistry daos,
            FhirContext fhirContext,
            Optional<BatchMembers> members,
            Optional<AuditTable> table,
            AuditStore store,
            AuditProperties properties) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Optional<HapiAuditEventImport> hapiImport =
                table.map(t -> new HapiAuditEventImport(jdbc, store, daos, new VersionHasher(fhirContext)));
        return new AuditBatches(
                jdbc,
                new TransactionTemplate(transactionManager),
                daos,
                fhirContext,
                members,
                table,
                hapiImport,
                properties,
                Clock.systemUTC());
    }

    @Bean
    PeriodicJobs auditJobs(AuditBatches batches, AuditProperties properties) {
        return new PeriodicJobs(List.of(
                new PeriodicJobs.Job("audit-batches", batches::run, Duration.ZERO, properties.materializeInterval())));
    }

    @Bean
    AuditTrail auditTrail(Optional<AuditTable> table, Optional<AuditOutbox> outbox, AuditProperties properties) {
        AuditWriter writer = table.<AuditWriter>map(t -> t).orElseGet(outbox::orElseThrow);
        return new AuditTrail(writer, new AuditEventFactory(properties.observer()), Clock.systemUTC());
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 50)
    RestfulServerCustomizer accessAudit(AuditTrail trail, AuditBatches batches, AuditProperties properties) {
        return server -> {
            server.registerInterceptor(new AccessAuditInterceptor(trail, Clock.systemUTC()));
            server.registerInterceptor(new AuditEventCapability());
            if (properties.store() == AuditProperties.Store.HAPI) {
                server.registerInterceptor(new AuditReadBarrier(batches));
            }
        };
    }

    @Bean
    RefusalAuditListener refusalAuditListener(AuditTrail trail) {
        return new RefusalAuditListener(trail, Clock.systemUTC());
    }

    /** Refusals by the filter chain (401, actuator 403), recorded before the refusal is sent. */
    static final class RefusalAuditListener {
        private final AuditTrail trail;
        private final Clock clock;

        RefusalAuditListener(AuditTrail trail, Clock clock) {
            this.trail = trail;
            this.clock = clock;
        }

        @EventListener
        public void onRefusal(AccessRefused refused) {
            try {
                trail.record(new AccessRecord(
                        clock.instant(),
                        null,
                        null,
                        refused.path(),
                        null,
                        null,
                        refused.status(),
                        refused.grant(),
                        refused.clientAddress(),
                        null,
                        null,
                        Set.of()));
            } catch (AuditTrail.AuditUnavailableException e) {
                // The refusal is sent anyway; the failure is logged by the trail.
            }
        }
    }
}
