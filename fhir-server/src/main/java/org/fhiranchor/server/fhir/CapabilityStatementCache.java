package org.fhiranchor.server.fhir;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Serves {@code GET /fhir/metadata} from the bytes of an earlier answer. HAPI keeps the CapabilityStatement object
 * for a minute, but encodes it again for every call: with every search parameter of every resource type it is about
 * 1.5 MB of JSON, hundreds of milliseconds per call, and clients and load balancers call it constantly.
 *
 * <p>An answer is kept for {@code ttl} per variant of the request that can change it: scheme, host and port (the
 * statement names the server's base URL and the SMART endpoints), query string ({@code _format}, {@code _pretty},
 * {@code _summary}, ...), {@code Accept} and {@code Accept-Encoding}. Only 200 answers are kept, with the headers HAPI
 * set (never those of the filters before this one, such as CORS, which depend on the caller, nor HAPI's
 * per-request {@code X-Request-ID}). A request with
 * {@code Cache-Control: no-cache} is passed on, as HAPI does. The statement holds no data of any patient, is public
 * (no token needed) and is not audited, so serving it from here skips nothing.
 */
final class CapabilityStatementCache extends OncePerRequestFilter {

    static final String PATH = "/fhir/metadata";
    private static final int MAX_VARIANTS = 32;
    /**
     * Set for each answer, never replayed: by the container, and HAPI's {@code X-Request-ID} (the caller's or a new
     * random one, to match a request with the server's log; a replayed one would name another request).
     */
    private static final Set<String> NOT_REPLAYED =
            Set.of("date", "content-length", "transfer-encoding", "connection", "keep-alive", "x-request-id");

    private record Answer(
            int status, String contentType, List<Map.Entry<String, String>> headers, byte[] body, Instant until) {}

    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Answer> answers = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Answer> eldest) {
            return size() > MAX_VARIANTS;
        }
    };

    CapabilityStatementCache(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"GET".equals(request.getMethod())
                || !PATH.equals(request.getRequestURI())
                || ttl.isZero()
                || ttl.isNegative();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String cacheControl = request.getHeader("Cache-Control");
        if (cacheControl != null && cacheControl.toLowerCase(Locale.ROOT).contains("no-cache")) {
            chain.doFilter(request, response);
            return;
        }
        String key = key(request);
        Instant now = clock.instant();
        Answer answer;
        synchronized (answers) {
            answer = answers.get(key);
        }
        if (answer != null && now.isBefore(answer.until())) {
            replay(answer, response);
            return;
        }
        RecordingResponse recording = new RecordingResponse(response);
        chain.doFilter(request, recording);
        if (recording.getStatus() == HttpServletResponse.SC_OK) {
            Answer fresh = new Answer(
                    recording.getStatus(),
                    recording.getContentType(),
                    List.copyOf(recording.headers),
                    recording.getContentAsByteArray(),
                    now.plus(ttl));
            synchronized (answers) {
                answers.put(key, fresh);
            }
        }
        recording.copyBodyToResponse();
    }

    private static String key(HttpServletRequest request) {
        return request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort() + "?"
                + request.getQueryString() + "\n" + request.getHeader("Accept") + "\n"
                + request.getHeader("Accept-Encoding");
    }

    private static void replay(Answer answer, HttpServletResponse response) throws IOException {
        response.setStatus(answer.status());
        if (answer.contentType() != null) {
            response.setContentType(answer.contentType());
        }
        for (Map.Entry<String, String> header : answer.headers()) {
            response.addHeader(header.getKey(), header.getValue());
        }
        response.setContentLength(answer.body().length);
        response.getOutputStream().write(answer.body());
    }

    /** Keeps the body and records the headers set downstream of this filter. */
    private static final class RecordingResponse extends ContentCachingResponseWrapper {

        private final List<Map.Entry<String, String>> headers = new ArrayList<>();

        RecordingResponse(HttpServletResponse response) {
            super(response);
        }

        private void record(String name, String value, boolean replace) {
            if (NOT_REPLAYED.contains(name.toLowerCase(Locale.ROOT)) || name.equalsIgnoreCase("Content-Type")) {
                return;
            }
            if (replace) {
                headers.removeIf(h -> h.getKey().equalsIgnoreCase(name));
            }
            if (value != null) {
                headers.add(Map.entry(name, value));
            }
        }

        @Override
        public void setHeader(String name, String value) {
            super.setHeader(name, value);
            record(name, value, true);
        }

        @Override
        public void addHeader(String name, String value) {
            super.addHeader(name, value);
            record(name, value, false);
        }

        @Override
        public void setIntHeader(String name, int value) {
            super.setIntHeader(name, value);
            record(name, Integer.toString(value), true);
        }

        @Override
        public void addIntHeader(String name, int value) {
            super.addIntHeader(name, value);
            record(name, Integer.toString(value), false);
        }

        @Override
        public void setDateHeader(String name, long date) {
            super.setDateHeader(name, date);
            record(name, getHeader(name), true);
        }

        @Override
        public void addDateHeader(String name, long date) {
            super.addDateHeader(name, date);
            record(name, getHeader(name), false);
        }
    }
}
