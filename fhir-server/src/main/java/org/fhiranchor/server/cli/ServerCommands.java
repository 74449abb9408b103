package org.fhiranchor.server.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.fhiranchor.server.command.CommandParsing;
import org.fhiranchor.server.security.TokenCommand;
import org.fhiranchor.server.smart.SmartAdminCommand;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code java -jar fhir-anchor-server.jar <command> ...}: the commands of the server's jar, none of which boots
 * HAPI. Anything else (no arguments, {@code --key=value} configuration) starts the server. {@code help} or
 * {@code --help} lists the commands, {@code <command> --help} shows one, and {@code generate-completion} prints a
 * bash/zsh completion script for all of them.
 */
public final class ServerCommands {

    /** The command name in help, usage lines and the completion script. */
    public static final String NAME = "fhir-anchor-server";

    static final String COMPLETION = "generate-completion";

    private ServerCommands() {}

    /**
     * Runs the command {@code args[0]} names and returns its exit status, or null when {@code args} are not a
     * command: then the caller starts the server with them.
     */
    public static Integer run(String[] args, InputStream in, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0) {
            return null;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case TokenCommand.NAME -> TokenCommand.run(rest, out, err);
            case "sweep" -> new SweepCommand(out, err).run(List.of(rest));
            case "restore" -> new RestoreCommand(out, err).run(List.of(rest));
            case "benchmark" -> new BenchmarkCommand(out).run(List.of(rest));
            case SmartAdminCommand.USER, SmartAdminCommand.CLIENT -> SmartAdminCommand.run(args[0], rest, in, out, err);
            case "help", "--help", "-h" -> help(rest, out, err);
            case COMPLETION -> {
                out.print(AutoComplete.bash(NAME, commandLine(out, err)));
                yield 0;
            }
            default -> null;
        };
    }

    private static int help(String[] topic, PrintStream out, PrintStream err) {
        CommandLine all = commandLine(out, err);
        if (topic.length == 0) {
            out.print(all.getUsageMessage());
            return 0;
        }
        CommandLine command = all.getSubcommands().get(topic[0]);
        if (command == null) {
            err.println("error: unknown command \"" + topic[0] + "\"");
            err.print(all.getUsageMessage());
            return CommandParsing.EXIT_USAGE;
        }
        out.print(command.getUsageMessage());
        return 0;
    }

    /** Every command with its options, for help and completion (nothing runs). */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandSpec root = CommandSpec.create().name(NAME);
        CommandParsing.style(root.usageMessage());
        root.usageMessage()
                .customSynopsis(
                        NAME + " [--key=value ...]      start the server",
                        NAME + " <command> [options]    run a command (none of them starts the server)")
                .description("A FHIR server that anchors every change on a blockchain.")
                .footer("%n`<command> --help` shows a command's options. `" + COMPLETION
                        + "` prints a bash/zsh completion" + " script:%n  source <(java -jar fhir-anchor-server.jar "
                        + COMPLETION + ")");
        CommandLine commandLine = new CommandLine(root);
        commandLine.addSubcommand(TokenCommand.NAME, TokenCommand.commandLine());
        commandLine.addSubcommand("sweep", CommandParsing.commandLine(new SweepCommand(out, err)));
        commandLine.addSubcommand("restore", CommandParsing.commandLine(new RestoreCommand(out, err)));
        commandLine.addSubcommand("benchmark", CommandParsing.commandLine(new BenchmarkCommand(out)));
        commandLine.addSubcommand(SmartAdminCommand.USER, SmartAdminCommand.commandLine(SmartAdminCommand.USER));
        commandLine.addSubcommand(SmartAdminCommand.CLIENT, SmartAdminCommand.commandLine(SmartAdminCommand.CLIENT));
        commandLine.addSubcommand(
                COMPLETION, described(COMPLETION, "Print a bash/zsh completion script for these commands."));
        return commandLine;
    }

    private static CommandLine described(String name, String description) {
        CommandSpec spec = CommandSpec.create().name(name);
        CommandParsing.style(spec.usageMessage());
        spec.usageMessage().description(description);
        return new CommandLine(spec);
    }
}
