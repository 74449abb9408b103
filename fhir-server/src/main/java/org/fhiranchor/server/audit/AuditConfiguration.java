package org.fhiranchor.server.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.fhiranchor.server.fhir.RestfulServerCustomizer;
import org.fhiranchor.server.jobs.PeriodicJobs;
import org.fhiranchor.server.log.BatchMembers;
import org.fhiranchor.server.security.AccessRefused;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "fhir-anchor.audit.enabled", havingValue = "true", matchIfMissing = true)
class AuditConfiguration {

    @Bean
    @DependsOnDatabaseInitialization
    AuditOutbox auditOutbox(DataSource dataSource, AuditProperties properties) {
        return new AuditOutbox(dataSource, properties.maxWait());
    }

    @Bean
    @DependsOnDatabaseInitialization
    AuditBatches auditBatches(
            AuditOutbox outbox,
            DataSource dataSource,
            PlatformTransactionManager transactionManager,
            DaoRegistry daos,
            FhirContext fhirContext,
            Optional<BatchMembers> members,
            AuditProperties properties) {
        return new AuditBatches(
                new JdbcTemplate(dataSource),
                new TransactionTemplate(transactionManager),
                daos,
                fhirContext,
                members,
                properties,
                Clock.systemUTC());
    }

    @Bean
    PeriodicJobs auditJobs(AuditBatches batches, AuditProperties properties) {
        return new PeriodicJobs(List.of(
                new PeriodicJobs.Job("audit-batches", batches::run, Duration.ZERO, properties.materializeInterval())));
    }

    @Bean
    AuditTrail auditTrail(AuditOutbox outbox, AuditProperties properties, FhirContext fhirContext) {
        return new AuditTrail(outbox, new AuditEventFactory(properties.observer()), fhirContext);
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 50)
    RestfulServerCustomizer accessAudit(AuditTrail trail, AuditBatches batches) {
        return server -> {
            server.registerInterceptor(new AccessAuditInterceptor(trail, Clock.systemUTC()));
            server.registerInterceptor(new AuditReadBarrier(batches));
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
