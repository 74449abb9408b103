package org.fhiranchor.server.command;

import java.io.PrintStream;
import java.util.OptionalInt;
import picocli.CommandLine;

/**
 * How the jar's commands read their arguments (picocli, into the command's {@code @Option} fields), in one
 * place: {@code usage:} lines, no {@code @file} expansion, {@code -h}/{@code --help} on every command, and one
 * answer to a mistake (the message and the command's usage on stderr, exit 2).
 */
public final class CommandParsing {

    /** Wrong arguments: the command did not run. */
    public static final int EXIT_USAGE = 2;

    private CommandParsing() {}

    /** A command line for an {@code @Command} object, styled like every other command of the jar. */
    public static CommandLine commandLine(Object command) {
        CommandLine commandLine = new CommandLine(command);
        style(commandLine.getCommandSpec().usageMessage());
        commandLine.setExpandAtFiles(false); // an argument starting with @ is a value, not a file of arguments
        return commandLine;
    }

    public static void style(CommandLine.Model.UsageMessageSpec usage) {
        usage.synopsisHeading("usage: ")
                .optionListHeading("%noptions:%n")
                .commandListHeading("%ncommands:%n")
                .width(110)
                .sortOptions(false)
                .sortSynopsis(false);
    }

    /**
     * Parses {@code args} into the command's fields. Returns the exit code when the command must not run:
     * 0 after printing the help it was asked for, {@link #EXIT_USAGE} after a mistake; empty when it may run.
     */
    public static OptionalInt parse(CommandLine commandLine, String[] args, PrintStream out, PrintStream err) {
        try {
            commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("error: " + e.getMessage());
            err.print(commandLine.getUsageMessage());
            return OptionalInt.of(EXIT_USAGE);
        }
        if (commandLine.isUsageHelpRequested()) {
            out.print(commandLine.getUsageMessage());
            return OptionalInt.of(0);
        }
        return OptionalInt.empty();
    }
}
