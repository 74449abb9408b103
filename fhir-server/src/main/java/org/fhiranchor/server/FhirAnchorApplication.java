package org.fhiranchor.server;

import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.fhiranchor.server.cli.BenchmarkCommand;
import org.fhiranchor.server.cli.RestoreCommand;
import org.fhiranchor.server.cli.SweepCommand;
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

    public static void main(String[] args) throws Exception {
        useUtc();
        if (args.length > 0 && args[0].equals("sweep")) {
            // A client of a running server: no Spring, no HAPI.
            System.exit(new SweepCommand(System.out, System.err).run(List.of(args).subList(1, args.length)));
        }
        if (args.length > 0 && args[0].equals("restore")) {
            // Rebuilds a fresh server from chain + IPFS + archive key: a client, no Spring, no HAPI server.
            System.exit(new RestoreCommand(System.out, System.err).run(List.of(args).subList(1, args.length)));
        }
        if (args.length > 0 && args[0].equals("benchmark")) {
            // Starts servers from this jar as separate processes and measures them.
            System.exit(new BenchmarkCommand(System.out, Map.of()).run(List.of(args).subList(1, args.length)));
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
