package org.fhiranchor.server.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the benchmark reads from one process's {@code /proc/PID/stat} (Linux): its command name and its CPU times,
 * its own and those its ended children left behind, in clock ticks.
 */
record ProcStat(String name, long userTicks, long systemTicks, long childrenUserTicks, long childrenSystemTicks) {

    /** USER_HZ: 100 on Linux for every architecture the JDK runs on. */
    static final int CLOCK_TICKS_PER_SECOND = 100;

    static ProcStat read(long pid) throws IOException {
        return read(Path.of("/proc/" + pid + "/stat"));
    }

    static ProcStat read(Path statFile) throws IOException {
        return parse(Files.readString(statFile));
    }

    static ProcStat parse(String stat) {
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        // Fields after the command name (which may hold spaces), from field 3 on: utime is 14, stime 15, cutime 16,
        // cstime 17.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new ProcStat(
                name,
                Long.parseLong(fields[11]),
                Long.parseLong(fields[12]),
                Long.parseLong(fields[13]),
                Long.parseLong(fields[14]));
    }

    /**
     * CPU seconds of each thread of a process, summed by thread name with its digits folded to {@code #}, so that a
     * pool's threads ({@code http-nio-8080-exec-1}, {@code -exec-2}, ...) count as one. Threads that ended are not
     * counted; a thread that ends while this reads is skipped.
     */
    static Map<String, Double> cpuSecondsByThreadName(long pid) throws IOException {
        Map<String, Double> byName = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                ProcStat thread;
                try {
                    thread = read(task.resolve("stat"));
                } catch (IOException ended) {
                    continue;
                }
                byName.merge(threadGroup(thread.name()), thread.cpuSeconds(), Double::sum);
            }
        }
        return byName;
    }

    /** A thread's name with its digits folded to {@code #}. */
    static String threadGroup(String threadName) {
        return threadName.replaceAll("[0-9]+", "#");
    }

    /** User plus system CPU seconds of the process itself. */
    double cpuSeconds() {
        return (userTicks + systemTicks) / (double) CLOCK_TICKS_PER_SECOND;
    }

    /** {@link #cpuSeconds()} plus what its ended (and waited-for) children spent. */
    double cpuSecondsWithEndedChildren() {
        return (userTicks + systemTicks + childrenUserTicks + childrenSystemTicks) / (double) CLOCK_TICKS_PER_SECOND;
    }
}
