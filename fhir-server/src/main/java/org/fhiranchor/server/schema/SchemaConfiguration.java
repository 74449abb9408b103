package org.fhiranchor.server.schema;

import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationInitializer;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Migrates the project's tables at startup, before any bean that uses them: Spring Boot detects the
 * {@link FlywayMigrationInitializer} as a database initializer, and makes HAPI's entity manager factory, every
 * {@code JdbcTemplate} bean and every bean marked {@code @DependsOnDatabaseInitialization} wait for it. Boot's
 * own Flyway auto-configuration stays off ({@code FhirAnchorApplication}): this is the only Flyway that runs.
 */
@Configuration(proxyBeanMethods = false)
@Import(DatabaseInitializationDependencyConfigurer.class)
class SchemaConfiguration {

    @Bean
    FlywayMigrationInitializer anchorSchemaMigration(DataSource dataSource) {
        // AnchorSchema.migrate, not Flyway's own: it survives the race of replicas starting on a new database.
        return new FlywayMigrationInitializer(AnchorSchema.flyway(dataSource), flyway -> AnchorSchema.migrate(flyway));
    }
}
