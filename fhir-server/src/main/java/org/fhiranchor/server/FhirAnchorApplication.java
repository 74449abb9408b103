package org.fhiranchor.server;

import java.util.Arrays;
import java.util.TimeZone;
import org.fhiranchor.server.security.TokenCommand;
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
            // HAPI brings Flyway along for its own migration tooling; the schema is managed by
            // Hibernate here, and Boot's Flyway runner refuses newer PostgreSQL versions.
            FlywayAutoConfiguration.class
        })
@ConfigurationPropertiesScan
public class FhirAnchorApplication {

    public static void main(String[] args) {
        useUtc();
        if (args.length > 0 && TokenCommand.NAME.equals(args[0])) {
            // A non-web mode of the same jar: reads the key material only, never boots HAPI.
            System.exit(TokenCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
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
