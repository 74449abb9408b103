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
import org.fhiranchor.server.security.Role;
import org.fhiranchor.server.security.TokenCommand;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;

/**
 * {@code user ...} and {@code client ...}: the admin's command line for the authorization server's
 * users and clients, on the server's database (same configuration sources as the server). With the
 * embedded H2 database, run it while the server is stopped (H2 locks its file), or use the admin API.
 * Passwords are read from standard input (one line), never from the command line.
 */
public final class SmartAdminCommand {

    public static final String USER = "user";
    public static final String CLIENT = "client";

    static final String USAGE = """
            usage: user add --username <name> --role <role> [--fhir-user Patient/<id>]   (password on stdin)
                   user reset-password --username <name>                                (password on stdin)
                   user disable|enable --username <name>
                   user list
                   client add [--client-id <id>] [--name <text>] --scope "<scopes>" [--redirect-uris <uri,uri>]
                              [--jwks-file <jwks.json> | --jwks-url <url>] [--role <role>]
                   client revoke --client-id <id>
                   client list""";

    private SmartAdminCommand() {}

    public static int run(String command, String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(USAGE);
            return 2;
        }
        String action = args[0];
        Map<String, String> options = new HashMap<>();
        List<String> springArgs = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--") && args[i].contains("=")) {
                springArgs.add(args[i]);
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i].substring(2), args[++i]);
            } else {
                err.println(USAGE);
                return 2;
            }
        }
        try (ConfigurableApplicationContext context = TokenCommand.configurationOnly(springArgs.toArray(String[]::new));
                HikariDataSource dataSource = dataSource(context.getEnvironment())) {
            SmartSchema.create(dataSource);
            if (USER.equals(command)) {
                return user(action, options, new UserAccounts(dataSource,
                        PasswordEncoderFactories.createDelegatingPasswordEncoder(), Clock.systemUTC()), in, out);
            }
            SmartProperties properties = org.springframework.boot.context.properties.bind.Binder.get(context.getEnvironment())
                    .bindOrCreate("fhir-anchor.smart", SmartProperties.class);
            return client(action, options, new SmartClients(
                    new JdbcRegisteredClientRepository(new JdbcTemplate(dataSource)), dataSource, properties), out);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (IOException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    private static int user(String action, Map<String, String> options, UserAccounts users, InputStream in,
            PrintStream out) throws IOException {
        switch (action) {
            case "add" -> {
                UserAccounts.UserAccount account = users.create(required(options, "username"), password(in),
                        Role.fromCode(required(options, "role")), options.get("fhir-user"));
                out.println("created " + account.username() + " (" + account.role().code() + ")");
            }
            case "reset-password" -> {
                users.resetPassword(required(options, "username"), password(in));
                out.println("password set");
            }
            case "disable", "enable" -> {
                users.setEnabled(required(options, "username"), action.equals("enable"));
                out.println(action + "d");
            }
            case "list" -> users.list().forEach(u -> out.println(u.username() + "\t" + u.role().code() + "\t"
                    + (u.fhirUser() == null ? "-" : u.fhirUser()) + "\t" + (u.enabled() ? "enabled" : "disabled")));
            default -> throw new IllegalArgumentException("Unknown action " + action);
        }
        return 0;
    }

    private static int client(String action, Map<String, String> options, SmartClients clients, PrintStream out)
            throws IOException {
        switch (action) {
            case "add" -> {
                String jwks = options.containsKey("jwks-file")
                        ? Files.readString(Path.of(options.get("jwks-file")), StandardCharsets.UTF_8) : null;
                List<String> redirects = options.containsKey("redirect-uris")
                        ? Arrays.asList(options.get("redirect-uris").split(",")) : List.of();
                SmartClients.ClientSummary client = clients.register(new SmartClients.Registration(
                        options.get("client-id"), options.get("name"), redirects,
                        new LinkedHashSet<>(Arrays.asList(required(options, "scope").trim().split("\\s+"))), jwks,
                        options.get("jwks-url"), options.containsKey("role") ? Role.fromCode(options.get("role")) : null));
                out.println(client.clientId());
            }
            case "revoke" -> {
                if (!clients.revoke(required(options, "client-id"))) {
                    throw new IllegalArgumentException("No client " + options.get("client-id"));
                }
                out.println("revoked");
            }
            case "list" -> clients.list().forEach(c -> out.println(c.clientId() + "\t" + c.grantTypes() + "\t"
                    + String.join(" ", c.scopes())));
            default -> throw new IllegalArgumentException("Unknown action " + action);
        }
        return 0;
    }

    private static HikariDataSource dataSource(Environment environment) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(environment.getRequiredProperty("spring.datasource.url"));
        dataSource.setUsername(environment.getProperty("spring.datasource.username"));
        dataSource.setPassword(environment.getProperty("spring.datasource.password"));
        dataSource.setMaximumPoolSize(1);
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
