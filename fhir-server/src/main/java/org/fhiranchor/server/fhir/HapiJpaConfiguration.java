package org.fhiranchor.server.fhir;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings.ClientIdStrategyEnum;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings.IdStrategyEnum;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.binstore.DatabaseBinaryContentStorageSvcImpl;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.rest.api.SearchTotalModeEnum;
import jakarta.persistence.EntityManagerFactory;
import java.util.Map;
import javax.sql.DataSource;
import org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy;
import org.hibernate.cfg.AvailableSettings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.orm.jpa.JpaProperties;
import org.springframework.boot.orm.jpa.hibernate.SpringImplicitNamingStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

/**
 * The HAPI FHIR JPA R4 storage layer: DAOs, search, batch2 jobs, and the Hibernate entity
 * manager on the configured data source (H2 file by default, PostgreSQL with the postgres
 * profile).
 */
@Configuration(proxyBeanMethods = false)
@Import({
    JpaR4Config.class,
    HapiJpaConfig.class,
    JpaBatch2Config.class,
    Batch2JobsConfig.class,
    ThreadPoolFactoryConfig.class,
    SubscriptionChannelConfig.class
})
class HapiJpaConfiguration {

    @Bean
    JpaStorageSettings jpaStorageSettings(FhirServerProperties properties) {
        JpaStorageSettings settings = new JpaStorageSettings();
        // EHR systems PUT their own ids, numeric ones included; server-assigned ids are UUIDs so
        // the two can never collide.
        settings.setResourceClientIdStrategy(ClientIdStrategyEnum.ANY);
        settings.setResourceServerIdStrategy(IdStrategyEnum.UUID);
        settings.setAllowExternalReferences(properties.allowExternalReferences());
        settings.setEnforceReferentialIntegrityOnWrite(true);
        settings.setEnforceReferentialIntegrityOnDelete(true);
        settings.setAutoCreatePlaceholderReferenceTargets(false);
        settings.setAllowInlineMatchUrlReferences(true);
        settings.setAllowMultipleDelete(false);
        settings.setExpungeEnabled(false);
        // A client that searches, writes, and searches again must see its write.
        settings.setReuseCachedSearchResultsForMillis(null);
        settings.setDefaultTotalMode(SearchTotalModeEnum.ACCURATE);
        settings.setAdvancedHSearchIndexing(false);
        return settings;
    }

    /** Stored versions for the server's own checks, through HAPI or a type's own store (StoredResources). */
    @Bean
    StoredResources storedResources(DaoRegistry daoRegistry, ObjectProvider<StoredResources.OwnStore> ownStores) {
        return new StoredResources(daoRegistry, ownStores.orderedStream().toList());
    }

    @Bean
    PartitionSettings partitionSettings() {
        return new PartitionSettings();
    }

    @Bean
    SubscriptionSettings subscriptionSettings() {
        return new SubscriptionSettings();
    }

    @Bean
    DatabaseBinaryContentStorageSvcImpl binaryContentStorageSvc() {
        return new DatabaseBinaryContentStorageSvcImpl();
    }

    @Bean
    DatabaseBackedPagingProvider databaseBackedPagingProvider(FhirServerProperties properties) {
        DatabaseBackedPagingProvider paging = new DatabaseBackedPagingProvider();
        paging.setDefaultPageSize(properties.defaultPageSize());
        paging.setMaximumPageSize(properties.maxPageSize());
        return paging;
    }

    @Primary
    @Bean
    LocalContainerEntityManagerFactoryBean entityManagerFactory(
            ConfigurableListableBeanFactory beanFactory,
            FhirContext fhirContext,
            JpaStorageSettings storageSettings,
            JpaProperties jpaProperties,
            DataSource dataSource) {
        LocalContainerEntityManagerFactoryBean factory =
                HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
        Map<String, String> hibernate = jpaProperties.getProperties();
        hibernate.putIfAbsent(AvailableSettings.SCANNER, "org.hibernate.boot.archive.scan.internal.DisabledScanner");
        hibernate.putIfAbsent(AvailableSettings.IMPLICIT_NAMING_STRATEGY, SpringImplicitNamingStrategy.class.getName());
        hibernate.putIfAbsent(
                AvailableSettings.PHYSICAL_NAMING_STRATEGY, CamelCaseToUnderscoresNamingStrategy.class.getName());
        hibernate.putIfAbsent(AvailableSettings.HBM2DDL_AUTO, "update");
        hibernate.putIfAbsent(AvailableSettings.STATEMENT_BATCH_SIZE, "20");
        hibernate.putIfAbsent(AvailableSettings.USE_SECOND_LEVEL_CACHE, "false");
        hibernate.putIfAbsent(AvailableSettings.USE_QUERY_CACHE, "false");
        hibernate.putIfAbsent("hibernate.search.enabled", "false");
        factory.setPersistenceUnitName("HAPI_PU");
        factory.setJpaPropertyMap(hibernate);
        factory.setDataSource(dataSource);
        return factory;
    }

    @Primary
    @Bean
    JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
        return new JpaTransactionManager(entityManagerFactory);
    }
}
