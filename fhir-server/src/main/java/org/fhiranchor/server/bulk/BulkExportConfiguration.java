package org.fhiranchor.server.bulk;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.batch2.jobs.export.BulkDataExportProvider;
import ca.uhn.fhir.batch2.jobs.export.BulkExportAppCtx;
import ca.uhn.fhir.batch2.jobs.export.BulkExportCreateReportStep;
import ca.uhn.fhir.batch2.jobs.export.BulkExportJobParametersValidator;
import ca.uhn.fhir.batch2.jobs.export.models.BulkExportBinaryFileId;
import ca.uhn.fhir.batch2.jobs.export.models.BulkExportWorkPackageJson;
import ca.uhn.fhir.batch2.jobs.export.models.ResourceIdList;
import ca.uhn.fhir.batch2.jobs.export.v3.ExpandResourceAndWriteBinaryStep;
import ca.uhn.fhir.batch2.jobs.export.v3.FetchResourceIdsV3Step;
import ca.uhn.fhir.batch2.jobs.export.v3.GenerateWorkPackagesV3Step;
import ca.uhn.fhir.batch2.maintenance.JobMaintenanceServiceImpl;
import ca.uhn.fhir.batch2.model.JobDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.model.BulkExportJobResults;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import ca.uhn.fhir.util.Batch2JobDefinitionConstants;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.fhiranchor.server.access.AuditEventWriter;
import org.fhiranchor.server.fhir.ResponseFilter;
import org.fhiranchor.server.fhir.RestfulServerCustomizer;
import org.fhiranchor.server.fhir.StoredResources;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
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

    /**
     * HAPI's bulk export job ({@code BULK_EXPORT} version 3) again as version 4, the latest, which every new export
     * runs: the same steps, except that the types the server keeps outside HAPI (the audit store's AuditEvents) are
     * listed and written from their own store ({@link OwnStoreIdsStep}, {@link OwnStoreFilesStep}).
     */
    @Bean
    JobDefinition<BulkExportJobParameters> bulkExportWithOwnStores(
            @Qualifier("bulkExportV3GenerateWorkPackagesStep") GenerateWorkPackagesV3Step workPackages,
            @Qualifier("bulkExportV3fetchResourceIdsStep") FetchResourceIdsV3Step resourceIds,
            @Qualifier("bulkExportV3ExpandResourceAndWriteBinaryStep") ExpandResourceAndWriteBinaryStep files,
            @Qualifier("bulkExportV3CreateReportStep") BulkExportCreateReportStep report,
            @Qualifier("bulkExportV3JobParametersValidator") BulkExportJobParametersValidator validator,
            StoredResources stored,
            JpaStorageSettings settings,
            IInterceptorService storageHooks,
            DaoRegistry daoRegistry,
            FhirContext fhirContext) {
        return JobDefinition.newBuilder()
                .setJobDefinitionId(Batch2JobDefinitionConstants.BULK_EXPORT)
                .setJobDescription("FHIR Bulk Export, with the types kept outside HAPI")
                .setJobDefinitionVersion(4)
                .setParametersType(BulkExportJobParameters.class)
                .setParametersValidator(validator)
                .gatedExecution()
                .addFirstStep(
                        "generate-work-packages",
                        "Generate export work packages for processing",
                        BulkExportWorkPackageJson.class,
                        workPackages)
                .addIntermediateStep(
                        "fetch-resources",
                        "Fetches resource PIDs for exporting",
                        ResourceIdList.class,
                        new OwnStoreIdsStep(resourceIds, stored, settings.getBulkExportFileMaximumCapacity()))
                .addIntermediateStep(
                        BulkExportAppCtx.WRITE_TO_BINARIES,
                        "Writes the expanded resources to the binaries and saves",
                        BulkExportBinaryFileId.class,
                        new OwnStoreFilesStep(files, stored, storageHooks, daoRegistry, fhirContext))
                .addFinalReducerStep(
                        BulkExportAppCtx.CREATE_REPORT_STEP,
                        "Creates the output report from a bulk export job",
                        BulkExportJobResults.class,
                        report)
                .build();
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
            StoredResources stored,
            FhirContext fhirContext) {
        return server -> {
            List<ResponseFilter> filters = filterBeans.orderedStream().toList();
            BulkExportInclusion inclusion = new BulkExportInclusion(filters, exports, fhirContext);
            // The export job has no REST request: its inclusion hook is called on the storage layer's service.
            storageInterceptors.registerInterceptor(inclusion);
            server.registerProvider(provider);
            server.registerInterceptor(new BulkExportKickOff(exports, stored.ownStoreTypes(), Clock.systemUTC()));
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
