package org.fhiranchor.server.bulk;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.batch2.jobs.export.BulkDataExportProvider;
import ca.uhn.fhir.batch2.maintenance.JobMaintenanceServiceImpl;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.fhiranchor.server.access.AuditEventWriter;
import org.fhiranchor.server.fhir.ResponseFilter;
import org.fhiranchor.server.fhir.RestfulServerCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/** Bulk Data export on HAPI's batch2 bulk export (docs/bulk-export.md). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "fhir-anchor.bulk-export.enabled", havingValue = "true", matchIfMissing = true)
class BulkExportConfiguration {

    @Bean
    @DependsOnDatabaseInitialization
    BulkExportRepository bulkExportRepository(DataSource dataSource) {
        return new BulkExportRepository(new JdbcTemplate(dataSource));
    }

    /**
     * HAPI's job maintenance (which moves batch2 jobs from step to step) every few seconds instead of every
     * minute; jobs fast-tracked to their next step; no export job re-used for another request (it would hand
     * one requester's files to another).
     */
    @Bean
    static BeanPostProcessor bulkExportJobSettings(Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof JobMaintenanceServiceImpl maintenance) {
                    maintenance.setScheduledJobFrequencyMillis(environment
                            .getProperty(
                                    "fhir-anchor.bulk-export.maintenance-interval",
                                    Duration.class,
                                    Duration.ofSeconds(2))
                            .toMillis());
                } else if (bean instanceof JpaStorageSettings settings) {
                    settings.setJobFastTrackingEnabled(true);
                    settings.setEnableBulkExportJobReuse(false);
                    settings.setBulkExportFileRetentionPeriodHours((int) Math.max(
                            1,
                            environment
                                    .getProperty(
                                            "fhir-anchor.bulk-export.file-retention",
                                            Duration.class,
                                            Duration.ofHours(2))
                                    .toHours()));
                }
                return bean;
            }
        };
    }

    @Bean
    RestfulServerCustomizer bulkExport(
            BulkDataExportProvider provider,
            BulkExportRepository exports,
            ObjectProvider<ResponseFilter> filterBeans,
            IInterceptorService storageInterceptors,
            IJobCoordinator jobs,
            DaoRegistry daoRegistry,
            ObjectProvider<AuditEventWriter> auditEvents,
            FhirContext fhirContext) {
        return server -> {
            List<ResponseFilter> filters = filterBeans.orderedStream().toList();
            BulkExportInclusion inclusion = new BulkExportInclusion(filters, exports, fhirContext);
            // The export job has no REST request: its inclusion hook is called on the storage layer's service.
            storageInterceptors.registerInterceptor(inclusion);
            server.registerProvider(provider);
            server.registerInterceptor(new BulkExportKickOff(exports, Clock.systemUTC()));
            server.registerInterceptor(new BulkExportOwnership(
                    fhirContext,
                    jobs,
                    exports,
                    inclusion,
                    new BulkReleaseAudit(
                            auditEvents.getIfAvailable(() -> AuditEventWriter.throughDao(daoRegistry)),
                            Clock.systemUTC()),
                    filters,
                    Clock.systemUTC()));
        };
    }

    @Bean
    FilterRegistrationBean<RetryAfterFilter> bulkExportRetryAfter(BulkExportProperties properties) {
        FilterRegistrationBean<RetryAfterFilter> registration = new FilterRegistrationBean<>(
                new RetryAfterFilter(properties.retryAfter().toSeconds()));
        registration.addUrlPatterns(RetryAfterFilter.PATH);
        return registration;
    }
}
