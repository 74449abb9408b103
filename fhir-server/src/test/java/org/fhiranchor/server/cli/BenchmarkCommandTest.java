package org.fhiranchor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark refuses options that would make its figures mean something else, before it starts anything. */
class BenchmarkCommandTest {

    @Test
    void refusesZeroWarmPasses() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = new BenchmarkCommand(new PrintStream(out, true, StandardCharsets.UTF_8))
                .run(List.of("--ingest-warm-passes", "0"));
        assertThat(exit).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("FHIR Anchor benchmark");
    }

    @Test
    void refusesAnUnknownRequestOperation() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = new BenchmarkCommand(new PrintStream(out, true, StandardCharsets.UTF_8))
                .run(List.of("--phases", "request", "--request-operations", "vread,delete"));
        assertThat(exit).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("FHIR Anchor benchmark");
    }

    @Test
    void requestOperationsAreTheOnesThePhaseTimes() {
        assertThat(RequestBenchmark.OPERATION_NAMES)
                .containsExactly("create", "update", "read", "vread", "search", "$everything", "metadata");
    }
}
