package org.fhiranchor.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import org.fhiranchor.server.support.FhirRestTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Spring Security's own Micrometer observations are off (they cost a read about 5% of its request-thread CPU and
 * nothing reads them, docs/benchmark.md), while every request is still timed as {@code http.server.requests}.
 */
class SecurityObservationsTest extends FhirRestTest {

    @Autowired
    MeterRegistry meters;

    @Test
    void requestsAreTimedButNotTheSecurityChainsInnerSteps() {
        assertThat(http("GET", "/metadata", null, null).statusCode()).isEqualTo(200);
        assertThat(get("/Patient?_count=1").statusCode()).isEqualTo(200);

        assertThat(meters.find("http.server.requests").timers()).isNotEmpty();
        assertThat(meters.getMeters())
                .extracting(meter -> meter.getId().getName())
                .noneMatch(name -> name.startsWith("spring.security."));
    }
}
