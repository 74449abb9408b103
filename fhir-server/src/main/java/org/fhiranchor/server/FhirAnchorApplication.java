package org.fhiranchor.server;

import java.util.TimeZone;
import org.fhiranchor.server.cli.ServerCommands;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration;
import org.springframework.boot.autoconfigure.thymeleaf.ThymeleafAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of the FHIR Anchor server. */
@SpringBootApplication(
        exclude = {
            ThymeleafAutoConfiguration.class,
            QuartzAutoConfiguration.class,
            ElasticsearchRestClientAutoConfiguration.class,
            // HAPI's tables are managed by Hibernate; the project's own tables by the one Flyway the
            // schema package configures (db/anchor, history table anchor_schema_history), not Boot's.
            FlywayAutoConfiguration.class
        })
@ConfigurationPropertiesScan
public class FhirAnchorApplication {

    public static void main(String[] args) throws Exception {
        useUtc();
        // Command-line tools of the same jar (token, sweep, restore, ...); none of them boots HAPI.
        Integer exit = ServerCommands.run(args, System.in, System.out, System.err);
        if (exit != null) {
            System.exit(exit);
        }
        SpringApplication.run(FhirAnchorApplication.class, args);
    }

    /**
     * Every timestamp the server writes (meta.lastUpdated, log entries) is produced in UTC, so that
     * the bytes a hook hashes at commit equal the bytes a reader later receives.
     */
    public static void useUtc() {
        System.setProperty("user.timezone", "UTC");
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    }
}
