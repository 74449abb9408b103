package org.fhiranchor.server.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The filter in front of HAPI's {@code /metadata}: what it serves again, and when it asks HAPI. */
class CapabilityStatementCacheTest {

    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    private final Instant[] now = {NOW};
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now[0];
        }
    };
    private final AtomicInteger encoded = new AtomicInteger();
    private int status = 200;

    /** Stands for HAPI: a new body on every call, the headers it sets. */
    private final FilterChain hapi = (request, response) -> {
        int n = encoded.incrementAndGet();
        HttpServletResponse http = (HttpServletResponse) response;
        http.setStatus(status);
        boolean xml = "xml".equals(request.getParameter("_format"));
        http.setContentType(xml ? "application/fhir+xml;charset=utf-8" : "application/fhir+json;charset=utf-8");
        http.setHeader("X-Powered-By", "HAPI FHIR");
        http.setHeader("X-Request-ID", "request-" + n);
        http.setDateHeader("Last-Modified", NOW.toEpochMilli());
        http.getWriter()
                .write(
                        xml
                                ? "<CapabilityStatement n=\"" + n + "\"/>"
                                : "{\"resourceType\":\"CapabilityStatement\",\"n\":" + n + "}");
    };

    private final CapabilityStatementCache cache = new CapabilityStatementCache(Duration.ofSeconds(60), clock);

    private MockHttpServletResponse get(String query, String... headers) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", CapabilityStatementCache.PATH);
        request.setQueryString(query);
        if (query != null && query.startsWith("_format=")) {
            request.setParameter("_format", query.substring("_format=".length()));
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.addHeader(headers[i], headers[i + 1]);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        response.setHeader("Access-Control-Allow-Origin", "https://caller.example"); // set by a filter before this one
        cache.doFilter(request, response, hapi);
        return response;
    }

    @Test
    void theSameRequestIsServedFromTheFirstAnswer_withHapisHeaders() throws Exception {
        MockHttpServletResponse first = get(null, "Accept", "application/fhir+json");
        MockHttpServletResponse second = get(null, "Accept", "application/fhir+json");
        assertThat(encoded).hasValue(1);
        assertThat(second.getStatus()).isEqualTo(200);
        assertThat(second.getContentAsString(StandardCharsets.UTF_8))
                .isEqualTo(first.getContentAsString(StandardCharsets.UTF_8))
                .contains("\"n\":1");
        assertThat(second.getContentType()).startsWith("application/fhir+json");
        assertThat(second.getHeaders("X-Powered-By")).containsExactly("HAPI FHIR");
        assertThat(second.getHeader("Last-Modified"))
                .isEqualTo(first.getHeader("Last-Modified"))
                .isNotNull();
        assertThat(second.getContentLength()).isEqualTo(second.getContentAsByteArray().length);
        assertThat(first.getHeader("X-Request-ID")).isEqualTo("request-1");
        assertThat(second.getHeader("X-Request-ID"))
                .as("another request's id is never replayed")
                .isNull();
        // Only what was set downstream is replayed: the caller's CORS header is not doubled.
        assertThat(second.getHeaders("Access-Control-Allow-Origin")).hasSize(1);
    }

    @Test
    void eachVariantHasItsOwnAnswer() throws Exception {
        assertThat(get("_format=xml").getContentAsString()).startsWith("<CapabilityStatement");
        assertThat(get(null, "Accept", "application/fhir+json").getContentAsString())
                .startsWith("{");
        assertThat(get("_format=xml").getContentAsString()).startsWith("<CapabilityStatement n=\"1\"");
        get(null, "Accept", "application/fhir+json", "Accept-Encoding", "gzip");
        assertThat(encoded).hasValue(3);
    }

    @Test
    void expiresAfterTheTtl_andNoCacheAsksHapi() throws Exception {
        get(null);
        now[0] = NOW.plusSeconds(59);
        get(null);
        assertThat(encoded).hasValue(1);
        now[0] = NOW.plusSeconds(60);
        assertThat(get(null).getContentAsString()).contains("\"n\":2");
        get(null, "Cache-Control", "no-cache");
        assertThat(encoded).hasValue(3);
    }

    @Test
    void errorsAndOtherRequestsAreNotKept() throws Exception {
        status = 500;
        get(null);
        get(null);
        assertThat(encoded).hasValue(2);
        status = 200;
        MockHttpServletRequest post = new MockHttpServletRequest("POST", CapabilityStatementCache.PATH);
        cache.doFilter(post, new MockHttpServletResponse(), hapi);
        cache.doFilter(post, new MockHttpServletResponse(), hapi);
        assertThat(encoded).hasValue(4);
    }
}
