package org.fhiranchor.server.smart;

import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.fhiranchor.server.command.CommandParsing;
import org.fhiranchor.server.schema.AnchorSchema;
import org.fhiranchor.server.security.Role;
import org.fhiranchor.server.security.TokenCommand;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code user ...} and {@code client ...}: the admin's command line for the authorization server's
 * users and clients, on the server's database (same configuration sources as the server). With the
 * embedded H2 database, run it while the server is stopped (H2 locks its file), or use the admin API.
 * Passwords are read from standard input (one line), never from the command line.
 */
public final class SmartAdminCommand {

    public static final String USER = "user";
    public static final String CLIENT = "client";

    private SmartAdminCommand() {}

    /** The actions of {@code user} or {@code client} and their options, for parsing, help and completion. */
    public static CommandLine commandLine(String command) {
        CommandSpec root = CommandSpec.create().name(command);
        root.addOption(help());
        CommandParsing.style(root.usageMessage());
        CommandLine commandLine = new CommandLine(root);
        if (USER.equals(command)) {
            root.usageMessage()
                    .description("The authorization server's users, on the server's database. Passwords are "
                            + "read from standard input (one line), never from the command line.");
            commandLine.addSubcommand(action(
                    "add",
                    "Create a user (password on stdin).",
                    "--username",
                    "NAME",
                    "--role",
                    "ROLE",
                    "--fhir-user",
                    "Patient/<id>"));
            commandLine.addSubcommand(
                    action("reset-password", "Set a user's password (on stdin).", "--username", "NAME"));
            commandLine.addSubcommand(action("disable", "Disable a user.", "--username", "NAME"));
            commandLine.addSubcommand(action("enable", "Enable a user.", "--username", "NAME"));
            commandLine.addSubcommand(action("list", "List the users."));
        } else {
            root.usageMessage().description("The authorization server's clients, on the server's database.");
            commandLine.addSubcommand(action(
                    "add",
                    "Register a client; prints its client id.",
                    "--client-id",
                    "ID",
                    "--name",
                    "TEXT",
                    "--scope",
                    "\"SCOPES\"",
                    "--redirect-uris",
                    "URI,URI",
                    "--jwks-file",
                    "JWKS.json",
                    "--jwks-url",
                    "URL",
                    "--role",
                    "ROLE"));
            commandLine.addSubcommand(action("revoke", "Revoke a client.", "--client-id", "ID"));
            commandLine.addSubcommand(action("list", "List the clients."));
        }
        commandLine.setUnmatchedArgumentsAllowed(true); // --name=value configuration, checked below
        commandLine.setExpandAtFiles(false);
        return commandLine;
    }

    private static CommandLine action(String name, String description, String... optionsAndLabels) {
        CommandSpec spec = CommandSpec.create().name(name);
        CommandParsing.style(spec.usageMessage());
        spec.usageMessage().description(description).footer("%nAny --name=value is configuration, as for the server.");
        for (int i = 0; i < optionsAndLabels.length; i += 2) {
            spec.addOption(OptionSpec.builder(optionsAndLabels[i])
                    .paramLabel(optionsAndLabels[i + 1])
                    .type(String.class)
                    .arity("1")
                    .build());
        }
        spec.addOption(help());
        return new CommandLine(spec);
    }

    private static OptionSpec help() {
        return OptionSpec.builder("-h", "--help")
                .usageHelp(true)
                .description("show this help and exit")
                .build();
    }

    public static int run(String command, String[] args, InputStream in, PrintStream out, PrintStream err) {
        CommandLine commandLine = commandLine(command);
        CommandLine.ParseResult parsed;
        try {
            parsed = commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("error: " + e.getMessage());
            err.print(e.getCommandLine().getUsageMessage());
            return CommandParsing.EXIT_USAGE;
        }
        CommandLine.ParseResult sub = parsed.subcommand();
        if (parsed.isUsageHelpRequested() || sub != null && sub.isUsageHelpRequested()) {
            out.print((sub == null ? commandLine : sub.commandSpec().commandLine()).getUsageMessage());
            return 0;
        }
        if (sub == null) {
            if (!parsed.unmatched().isEmpty()) {
                err.println("error: unknown action \"" + parsed.unmatched().get(0) + "\"");
            }
            err.print(commandLine.getUsageMessage());
            return CommandParsing.EXIT_USAGE;
        }
        String action = sub.commandSpec().name();
        Map<String, String> options = new HashMap<>();
        for (OptionSpec option : sub.matchedOptions()) {
            options.put(option.longestName().substring(2), sub.matchedOptionValue(option.longestName(), null));
        }
        List<String> springArgs = new ArrayList<>();
        List<String> unmatched = new ArrayList<>(parsed.unmatched());
        unmatched.addAll(sub.unmatched());
        for (String arg : unmatched) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                err.println("error: unknown argument \"" + arg + "\" for " + command + " " + action);
                err.print(sub.commandSpec().commandLine().getUsageMessage());
                return CommandParsing.EXIT_USAGE;
            }
            springArgs.add(arg);
        }
        try (ConfigurableApplicationContext context =
                        TokenCommand.configurationOnly(springArgs.toArray(String[]::new));
                HikariDataSource dataSource = dataSource(context.getEnvironment())) {
            AnchorSchema.migrate(dataSource);
            if (USER.equals(command)) {
                return user(
                        action,
                        options,
                        new UserAccounts(
                                dataSource,
                                PasswordEncoderFactories.createDelegatingPasswordEncoder(),
                                Clock.systemUTC()),
                        in,
                        out);
            }
            SmartProperties properties = org.springframework.boot.context.properties.bind.Binder.get(
                            context.getEnvironment())
                    .bindOrCreate("fhir-anchor.smart", SmartProperties.class);
            return client(
                    action,
                    options,
                    new SmartClients(
                            new JdbcRegisteredClientRepository(new JdbcTemplate(dataSource)), dataSource, properties),
                    out);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(commandLine.getUsageMessage());
            return 2;
        } catch (IOException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    private static int user(
            String action, Map<String, String> options, UserAccounts users, InputStream in, PrintStream out)
            throws IOException {
        switch (action) {
            case "add" -> {
                UserAccounts.UserAccount account = users.create(
                        required(options, "username"),
                        password(in),
                        Role.fromCode(required(options, "role")),
                        options.get("fhir-user"));
                out.println(
                        "created " + account.username() + " (" + account.role().code() + ")");
            }
            case "reset-password" -> {
                users.resetPassword(required(options, "username"), password(in));
                out.println("password set");
            }
            case "disable", "enable" -> {
                users.setEnabled(required(options, "username"), action.equals("enable"));
                out.println(action + "d");
            }
            case "list" ->
                users.list()
                        .forEach(u -> out.println(u.username() + "\t" + u.role().code() + "\t"
                                + (u.fhirUser() == null ? "-" : u.fhirUser()) + "\t"
                                + (u.enabled() ? "enabled" : "disabled")));
            default -> throw new IllegalArgumentException("Unknown action " + action);
        }
        return 0;
    }

    private static int client(String action, Map<String, String> options, SmartClients clients, PrintStream out)
            throws IOException {
        switch (action) {
            case "add" -> {
                String jwks = options.containsKey("jwks-file")
                        ? Files.readString(Path.of(options.get("jwks-file")), StandardCharsets.UTF_8)
                        : null;
                List<String> redirects = options.containsKey("redirect-uris")
                        ? Arrays.asList(options.get("redirect-uris").split(","))
                        : List.of();
                SmartClients.ClientSummary client = clients.register(new SmartClients.Registration(
                        options.get("client-id"),
                        options.get("name"),
                        redirects,
                        new LinkedHashSet<>(
                                Arrays.asList(required(options, "scope").trim().split("\\s+"))),
                        jwks,
                        options.get("jwks-url"),
                        options.containsKey("role") ? Role.fromCode(options.get("role")) : null));
                out.println(client.clientId());
            }
            case "revoke" -> {
                if (!clients.revoke(required(options, "client-id"))) {
                    throw new IllegalArgumentException("No client " + options.get("client-id"));
                }
                out.println("revoked");
            }
            case "list" ->
                clients.list()
                        .forEach(c -> out.println(
                                c.clientId() + "\t" + c.grantTypes() + "\t" + String.join(" ", c.scopes())));
            default -> throw new IllegalArgumentException("Unknown action " + action);
        }
        return 0;
    }

    private static HikariDataSource dataSource(Environment environment) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(environment.getRequiredProperty("spring.datasource.url"));
        dataSource.setUsername(environment.getProperty("spring.datasource.username"));
        dataSource.setPassword(environment.getProperty("spring.datasource.password"));
        // Two: Flyway migrates on a second connection beside the one that holds its lock.
        dataSource.setMaximumPoolSize(2);
        return dataSource;
    }

    private static String password(InputStream in) throws IOException {
        String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        if (line == null || line.isBlank()) {
            throw new IllegalArgumentException("Give the password on standard input (one line)");
        }
        return line;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
