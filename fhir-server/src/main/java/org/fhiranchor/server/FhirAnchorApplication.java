package org.fhiranchor.server;

import java.util.Arrays;
import java.util.List;
import java.util.TimeZone;
import org.fhiranchor.server.cli.BenchmarkCommand;
import org.fhiranchor.server.cli.RestoreCommand;
import org.fhiranchor.server.cli.SweepCommand;
import org.fhiranchor.server.security.TokenCommand;
import org.fhiranchor.server.smart.SmartAdminCommand;
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
        if (args.length > 0) {
            // Command-line tools of the same jar; none of them boots HAPI.
            String[] rest = Arrays.copyOfRange(args, 1, args.length);
            Integer exit = switch (args[0]) {
                case TokenCommand.NAME -> TokenCommand.run(rest, System.out, System.err);
                case "sweep" -> new SweepCommand(System.out, System.err).run(List.of(rest));
                case "restore" -> new RestoreCommand(System.out, System.err).run(List.of(rest));
                case "benchmark" -> new BenchmarkCommand(System.out).run(List.of(rest));
                case SmartAdminCommand.USER, SmartAdminCommand.CLIENT ->
                        SmartAdminCommand.run(args[0], rest, System.in, System.out, System.err);
                default -> null;
            };
            if (exit != null) {
                System.exit(exit);
            }
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
