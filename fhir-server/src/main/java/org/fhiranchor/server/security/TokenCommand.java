package org.fhiranchor.server.security;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.fhiranchor.server.command.CommandParsing;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

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

    /** The flag that allows the command to create the signing key when the data directory has none. */
    static final String CREATE_KEY = "--create-key";

    private TokenCommand() {}

    /** The command's options; any other {@code --key=value} is configuration, passed on as for the server. */
    @Command(
            name = NAME,
            description = "Print a bearer token signed by the server's embedded key, and nothing else, "
                    + "on stdout. Reads the server's configuration; starts nothing.")
    static final class Options {
        @Option(
                names = "--role",
                required = true,
                paramLabel = "ROLE",
                completionCandidates = RoleCodes.class,
                description = "one of: ${COMPLETION-CANDIDATES}")
        String role;

        @Option(names = "--subject", required = true, paramLabel = "NAME", description = "the token's subject")
        String subject;

        @Option(
                names = "--ttl",
                paramLabel = "DURATION",
                description = "lifetime, e.g. 5m or 1h (default: fhir-anchor.security.default-token-ttl)")
        String ttl;

        @Option(names = "--patient", paramLabel = "ID", description = "the patient a patient token is limited to")
        String patient;

        @Option(names = "--client-id", paramLabel = "ID", description = "the client the token is for")
        String clientId;

        @Option(
                names = "--fhir-user",
                paramLabel = "Practitioner/<id>|PractitionerRole/<id>|Organization/<id>",
                description = "the fhirUser claim")
        String fhirUser;

        @Option(names = "--purpose", paramLabel = "HRESCH|BTG", description = "purpose of use")
        String purpose;

        @Option(
                names = "--data-dir",
                paramLabel = "DIR",
                description = "the server's data directory (else FHIR_ANCHOR_DATA_DIR or fhir-anchor.data-dir)")
        String dataDir;

        @Option(
                names = CREATE_KEY,
                description =
                        "create the signing key if the data directory has none (before the " + "server's first start)")
        boolean createKey;

        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "show this help and exit")
        boolean help;

        @Unmatched
        List<String> configuration = new ArrayList<>();
    }

    /** The role codes, for help and shell completion. */
    static final class RoleCodes implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Arrays.stream(Role.values()).map(Role::code).iterator();
        }
    }

    /** Runs the command; returns the process exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options options = new Options();
        CommandLine commandLine = CommandParsing.commandLine(options);
        OptionalInt stop = CommandParsing.parse(commandLine, args, out, err);
        if (stop.isPresent()) {
            return stop.getAsInt();
        }
        List<String> springArgs = new ArrayList<>();
        for (String arg : options.configuration) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                err.println("error: unknown argument \"" + arg + "\" (configuration is given as --key=value)");
                err.print(commandLine.getUsageMessage());
                return CommandParsing.EXIT_USAGE;
            }
            springArgs.add(arg);
        }
        if (options.dataDir != null) {
            springArgs.add("--fhir-anchor.data-dir=" + options.dataDir);
        }
        try (ConfigurableApplicationContext context = configurationOnly(springArgs.toArray(String[]::new))) {
            Environment environment = context.getEnvironment();
            SecurityProperties properties =
                    Binder.get(environment).bindOrCreate("fhir-anchor.security", SecurityProperties.class);
            if (!properties.embeddedIssuer()) {
                err.println(
                        "An external issuer is configured (jwk-set-uri or issuer-uri): tokens come from it, not from this server");
                return 2;
            }
            Role role = Role.fromCode(options.role);
            String subject = required(options.subject, "subject");
            Duration ttl =
                    options.ttl != null ? DurationStyle.detectAndParse(options.ttl) : properties.defaultTokenTtl();
            if (ttl.compareTo(properties.maxTokenTtl()) > 0) {
                throw new IllegalArgumentException(
                        "--ttl exceeds fhir-anchor.security.max-token-ttl (" + properties.maxTokenTtl() + ")");
            }
            Path dataDir = Path.of(environment.getRequiredProperty("fhir-anchor.data-dir"));
            if (!options.createKey && !EmbeddedIssuer.hasKey(dataDir)) {
                err.println("No signing key in "
                        + dataDir.toAbsolutePath().normalize().resolve(EmbeddedIssuer.KEYS_DIRECTORY)
                        + ": this is not the data directory of a server that has started. Point the command at the"
                        + " server's data directory (--data-dir <dir>, FHIR_ANCHOR_DATA_DIR or fhir-anchor.data-dir,"
                        + " as for the server), or give " + CREATE_KEY
                        + " to create a key there before the first start.");
                return 1;
            }
            EmbeddedIssuer issuer = EmbeddedIssuer.open(dataDir, properties);
            out.println(issuer.mint(new TokenIssuer.TokenRequest(
                    role, subject, ttl, options.patient, options.clientId, options.fhirUser, options.purpose)));
            return 0;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(commandLine.getUsageMessage());
            return 2;
        }
    }

    /** The command's help, for the jar's list of commands and its completion script. */
    public static CommandLine commandLine() {
        return CommandParsing.commandLine(new Options());
    }

    private static String required(String value, String name) {
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
