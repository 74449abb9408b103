package org.fhiranchor.server.command;

import java.io.PrintStream;
import java.util.List;
import java.util.OptionalInt;
import picocli.CommandLine.Option;

/**
 * The frame of a jar command whose options are picocli fields of its own class: the streams it writes to,
 * {@code -h}/{@code --help}, and {@link #run} that parses the arguments the one way ({@link CommandParsing}) before
 * the command proper runs.
 */
public abstract class ParsedCommand {

    protected final PrintStream out;
    protected final PrintStream err;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "show this help and exit")
    private boolean help;

    protected ParsedCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Parses {@code args} into the command's fields and runs it; returns the exit code (2 on usage errors). */
    public final int run(List<String> args) {
        OptionalInt stop =
                CommandParsing.parse(CommandParsing.commandLine(this), args.toArray(String[]::new), out, err);
        return stop.isPresent() ? stop.getAsInt() : runParsed();
    }

    /** The command proper, its options parsed; returns the exit code. */
    protected abstract int runParsed();
}
