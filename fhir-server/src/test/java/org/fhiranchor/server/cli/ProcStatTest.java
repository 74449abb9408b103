package org.fhiranchor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
    void readsThisProcess() throws Exception {
        assertThat(ProcStat.read(ProcessHandle.current().pid()).cpuSeconds()).isPositive();
    }
}
