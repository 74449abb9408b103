package org.fhiranchor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Reading CPU times from a /proc/PID/stat line, whose command name may hold spaces and parentheses. */
class ProcStatTest {

    @Test
    void readsTheNameAndCpuTicksAfterAnAwkwardCommandName() {
        String stat = "4242 (postgres: fhir (idle)) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 30 20 20 0 1 0 "
                + "1000 200000000 5000 18446744073709551615";
        ProcStat parsed = ProcStat.parse(stat);
        assertThat(parsed.name()).isEqualTo("postgres: fhir (idle)");
        assertThat(parsed.cpuSeconds()).isEqualTo(3.0);
        assertThat(parsed.cpuSecondsWithEndedChildren()).isEqualTo(3.5);
    }

    @Test
    void foldsPoolThreadsIntoOneGroup() {
        assertThat(ProcStat.threadGroup("http-nio-8080-exec-12")).isEqualTo("http-nio-#-exec-#");
        assertThat(ProcStat.threadGroup("C2 CompilerThre")).isEqualTo("C# CompilerThre");
        assertThat(ProcStat.threadGroup("sequencer")).isEqualTo("sequencer");
    }

    @Test
    void readsTheCpuOfALiveThreadUnderItsGroup() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong spins = new AtomicLong();
        Thread busy = new Thread(
                () -> {
                    while (!stop.get()) {
                        spins.incrementAndGet();
                    }
                },
                "procstat-busy-7");
        busy.start();
        try {
            long pid = ProcessHandle.current().pid();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> ProcStat.cpuSecondsByThreadName(pid).getOrDefault("procstat-busy-#", 0.0) >= 0.2);
            var byName = ProcStat.cpuSecondsByThreadName(pid);
            assertThat(byName.values().stream().mapToDouble(Double::doubleValue).sum())
                    .isLessThanOrEqualTo(ProcStat.read(pid).cpuSeconds() + 0.05);
        } finally {
            stop.set(true);
            busy.join();
        }
        assertThat(spins.get()).isPositive();
    }

    @Test
    void readsThisProcess() throws Exception {
        assertThat(ProcStat.read(ProcessHandle.current().pid()).cpuSeconds()).isPositive();
    }
}
