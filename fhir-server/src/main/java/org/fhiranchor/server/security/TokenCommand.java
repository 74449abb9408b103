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
 * [--client-id ID] [--data-dir DIR]}: prints a token signed by the embedded key, and nothing else, on
 * standard output. Reads the same configuration as the server (application properties, profiles,
 * environment such as FHIR_ANCHOR_DATA_DIR, {@code --key=value} arguments), so it finds the data
 * directory the same way the server does, but starts nothing: no HAPI, no database, no web server.
 * It never creates a signing key on its own (a new key would mint tokens the server rejects): without
 * a key in the data directory it fails, unless {@code --create-key} is given.
 */
public final class TokenCommand {

    public static final String NAME = "token";

    private static final String USAGE = "usage: token --role <" + String.join("|",
            java.util.Arrays.stream(Role.values()).map(Role::code).toList())
            + "> --subject <name> [--ttl 1h] [--patient <Patient id>] [--client-id <id>]"
            + " [--fhir-user Practitioner/<id>|PractitionerRole/<id>|Organization/<id>] [--purpose HRESCH|BTG]"
            + " [--data-dir <dir>] [--create-key]";

    /** The flag that allows the command to create the signing key when the data directory has none. */
    static final String CREATE_KEY = "--create-key";

    private TokenCommand() {}

    /** Runs the command; returns the process exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options = new HashMap<>();
        List<String> springArgs = new ArrayList<>();
        boolean createKey = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals(CREATE_KEY)) {
                createKey = true;
            } else if (arg.equals("--data-dir") && i + 1 < args.length) {
                springArgs.add("--fhir-anchor.data-dir=" + args[++i]);
            } else if (arg.startsWith("--data-dir=")) {
                springArgs.add("--fhir-anchor.data-dir=" + arg.substring("--data-dir=".length()));
            } else if (arg.startsWith("--") && arg.contains("=")) {
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
            String subject = required(options, "subject");
            Duration ttl = options.containsKey("ttl") ? DurationStyle.detectAndParse(options.get("ttl"))
                    : properties.defaultTokenTtl();
            if (ttl.compareTo(properties.maxTokenTtl()) > 0) {
                throw new IllegalArgumentException("--ttl exceeds fhir-anchor.security.max-token-ttl ("
                        + properties.maxTokenTtl() + ")");
            }
            Path dataDir = Path.of(environment.getRequiredProperty("fhir-anchor.data-dir"));
            if (!createKey && !EmbeddedIssuer.hasKey(dataDir)) {
                err.println("No signing key in " + dataDir.toAbsolutePath().normalize().resolve(EmbeddedIssuer.KEYS_DIRECTORY)
                        + ": this is not the data directory of a server that has started. Point the command at the"
                        + " server's data directory (--data-dir <dir>, FHIR_ANCHOR_DATA_DIR or fhir-anchor.data-dir,"
                        + " as for the server), or give " + CREATE_KEY + " to create a key there before the first start.");
                return 1;
            }
            EmbeddedIssuer issuer = EmbeddedIssuer.open(dataDir, properties);
            out.println(issuer.mint(new TokenIssuer.TokenRequest(
                    role, subject, ttl, options.get("patient"), options.get("client-id"),
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
    public static ConfigurableApplicationContext configurationOnly(String[] args) {
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
