package org.fhiranchor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scale phase's milestone parsing, percentile, slowest calls and transaction shape. */
class ScaleBenchmarkTest {

    @Test
    void milestonesTakeSuffixesAndComeOutSortedAndDistinct() {
        assertThat(ScaleBenchmark.parseMilestones(List.of("1M", "10k", "100_000", "10000", "2.5k")))
                .containsExactly(2_500L, 10_000L, 100_000L, 1_000_000L);
    }

    @Test
    void milestonesRefuseFractionsZeroAndWords() {
        assertThatThrownBy(() -> ScaleBenchmark.parseMilestones(List.of("0")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScaleBenchmark.parseMilestones(List.of("1.5")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScaleBenchmark.parseMilestones(List.of("lots")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScaleBenchmark.parseMilestones(List.of(" ")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void percentileIsTheSmallestValueWithAtLeastThatShareAtOrBelowIt() {
        List<Double> hundred = new java.util.ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            hundred.add((double) i);
        }
        assertThat(BenchmarkCommand.percentile(hundred, 0.5)).isEqualTo(50.0);
        assertThat(BenchmarkCommand.percentile(hundred, 0.99)).isEqualTo(99.0);
        assertThat(BenchmarkCommand.percentile(List.of(7.0), 0.99)).isEqualTo(7.0);
        assertThat(BenchmarkCommand.percentile(List.of(), 0.5)).isNaN();
    }

    @Test
    void theSlowestCallsComeSlowestFirstAndKeepWhenTheyStarted() {
        Instant t0 = Instant.parse("2026-12-07T01:12:30Z");
        List<ScaleBenchmark.TimedCall> calls = List.of(
                new ScaleBenchmark.TimedCall(t0, "Patient/a/_history/1", 8.0),
                new ScaleBenchmark.TimedCall(t0.plusMillis(10), "Patient/b/_history/1", 45.2),
                new ScaleBenchmark.TimedCall(t0.plusMillis(20), "Patient/c/_history/1", 9.1),
                new ScaleBenchmark.TimedCall(t0.plusMillis(30), "Patient/d/_history/2", 39.7));

        assertThat(ScaleBenchmark.slowest(calls, 2))
                .extracting(ScaleBenchmark.TimedCall::version, ScaleBenchmark.TimedCall::at)
                .containsExactly(
                        tuple("Patient/b/_history/1", t0.plusMillis(10)),
                        tuple("Patient/d/_history/2", t0.plusMillis(30)));
        assertThat(ScaleBenchmark.slowest(calls, 10)).hasSize(4);
    }

    @Test
    void aTransactionHoldsPatientsEachWithNineObservationsReferencingItByFullUrl() throws Exception {
        JsonNode bundle = new ObjectMapper().readTree(ScaleBenchmark.transaction(3, 500));
        JsonNode entries = bundle.path("entry");
        assertThat(entries.size()).isEqualTo(500);
        java.util.Set<String> patientUrls = new java.util.HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            if (i % 10 == 0) {
                assertThat(entry.path("resource").path("resourceType").asText()).isEqualTo("Patient");
                patientUrls.add(entry.path("fullUrl").asText());
            } else {
                assertThat(entry.path("resource").path("resourceType").asText()).isEqualTo("Observation");
                assertThat(entry.path("resource")
                                .path("subject")
                                .path("reference")
                                .asText())
                        .isEqualTo(entries.get(i - i % 10).path("fullUrl").asText());
            }
        }
        assertThat(patientUrls).hasSize(50);
        // Another transaction's Patients have other full URLs.
        JsonNode other =
                new ObjectMapper().readTree(ScaleBenchmark.transaction(4, 500)).path("entry");
        assertThat(patientUrls).doesNotContain(other.get(0).path("fullUrl").asText());
    }
}
