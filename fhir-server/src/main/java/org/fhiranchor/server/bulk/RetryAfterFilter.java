package org.fhiranchor.server.bulk;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * HAPI answers every poll of a running export with {@code Retry-After: 120}; with export jobs moved on
 * every few seconds that makes a well-behaved client wait two minutes for a small export. This
 * filter, on the status endpoint only, replaces the value with the configured one.
 */
final class RetryAfterFilter extends OncePerRequestFilter {

    static final String PATH = "/fhir/$export-poll-status";

    private final String seconds;

    RetryAfterFilter(long seconds) {
        this.seconds = Long.toString(Math.max(1, seconds));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, new HttpServletResponseWrapper(response) {
            @Override
            public void setHeader(String name, String value) {
                super.setHeader(name, retryAfter(name, value));
            }

            @Override
            public void addHeader(String name, String value) {
                super.addHeader(name, retryAfter(name, value));
            }
        });
    }

    private String retryAfter(String name, String value) {
        return "Retry-After".equalsIgnoreCase(name) ? seconds : value;
    }
}
