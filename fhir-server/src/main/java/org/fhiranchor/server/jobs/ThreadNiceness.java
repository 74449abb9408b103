package org.fhiranchor.server.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the CPU priority of the calling thread on Linux, where every thread is a task with a nice value of its
 * own: its task id is read from {@code /proc/thread-self} and set with {@code renice} (util-linux, part of every
 * Debian system). Raising niceness needs no privilege. Elsewhere, or if that fails, the thread keeps its priority:
 * only scheduling changes, never behaviour.
 */
final class ThreadNiceness {

    private static final Logger log = LoggerFactory.getLogger(ThreadNiceness.class);
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");

    private ThreadNiceness() {}

    /** @return true if the calling thread now runs at {@code niceness} */
    static boolean lowerCurrentThread(int niceness) {
        if (niceness <= 0 || !Files.isSymbolicLink(THREAD_SELF)) {
            return false;
        }
        try {
            String taskId = Files.readSymbolicLink(THREAD_SELF).getFileName().toString();
            Process renice = new ProcessBuilder("renice", "-n", Integer.toString(niceness), "-p", taskId)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!renice.waitFor(10, TimeUnit.SECONDS)) {
                renice.destroyForcibly();
                return false;
            }
            return renice.exitValue() == 0;
        } catch (IOException e) {
            log.debug("Job thread priority unchanged: {}", e.getClass().getSimpleName());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The nice value of the calling thread, or empty where there is no /proc (field 19 of its stat line). */
    static OptionalInt ofCurrentThread() {
        try {
            String stat = Files.readString(THREAD_SELF.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return OptionalInt.of(Integer.parseInt(fields[16]));
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }
}
