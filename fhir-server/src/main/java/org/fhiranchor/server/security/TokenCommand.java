package org.fhiranchor.server.security;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * {@code java -jar fhir-anchor-server.jar token --role ehr --subject my-ehr [--ttl 1h] [--patient ID]
 * [--client-id ID] [--fhir-anchor.data-dir=...]}: prints a token signed by the embedded key, and
 * nothing else, on standard output. Reads the same configuration as the server (application
 * properties, profiles, environment, {@code --key=value} arguments) but starts nothing: no HAPI, no
 * database, no web server.
 */
public final class TokenCommand {

    public static final String NAME = "token";

    private static final String USAGE = "usage: token --role <" + String.join("|",
            java.util.Arrays.stream(Role.values()).map(Role::code).toList())
            + "> --subject <name> [--ttl 1h] [--patient <Patient id>] [--client-id <id>]"
            + " [--fhir-user Practitioner/<id>|PractitionerRole/<id>|Organization/<id>] [--purpose HRESCH|BTG]"
            + " [--fhir-anchor.data-dir=<dir>]";

    private TokenCommand() {}

    /** Runs the command; returns the process exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options = new HashMap<>();
        List<String> springArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("--") && arg.contains("=")) {
                springArgs.add(arg);
            } else if (arg.startsWith("--") && i + 1 < args.length) {
                options.put(arg.substring(2), args[++i]);
            } else {
                err.println(USAGE);
                return 2;
            }
        }
        try (ConfigurableApplicationContext context = configurationOnly(springArgs.toArray(String[]::new))) {
            Environment environment = context.getEnvironment();
            SecurityProperties properties = Binder.get(environment)
                    .bindOrCreate("fhir-anchor.security", SecurityProperties.class);
            if (!properties.embeddedIssuer()) {
                err.println("An external issuer is configured (jwk-set-uri or issuer-uri): tokens come from it, not from this server");
                return 2;
            }
            Role role = Role.fromCode(required(options, "role"));
            Duration ttl = options.containsKey("ttl") ? DurationStyle.detectAndParse(options.get("ttl"))
                    : properties.defaultTokenTtl();
            if (ttl.compareTo(properties.maxTokenTtl()) > 0) {
                throw new IllegalArgumentException("--ttl exceeds fhir-anchor.security.max-token-ttl ("
                        + properties.maxTokenTtl() + ")");
            }
            EmbeddedIssuer issuer = EmbeddedIssuer.open(
                    Path.of(environment.getRequiredProperty("fhir-anchor.data-dir")), properties);
            out.println(issuer.mint(new TokenIssuer.TokenRequest(
                    role, required(options, "subject"), ttl, options.get("patient"), options.get("client-id"),
                    options.get("fhir-user"), options.get("purpose"))));
            return 0;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    /** A context with the server's configuration sources and no beans: nothing is started. */
    private static ConfigurableApplicationContext configurationOnly(String[] args) {
        SpringApplication application = new SpringApplication(NoBeans.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        application.setDefaultProperties(Map.of("logging.level.root", "WARN"));
        return application.run(args);
    }

    /** The (empty) source of the configuration-only context; deliberately not a @Configuration. */
    static final class NoBeans {}
}
