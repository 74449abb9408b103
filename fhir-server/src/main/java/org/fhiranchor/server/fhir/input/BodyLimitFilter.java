package org.fhiranchor.server.fhir.input;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps how many body bytes a request may send, also when it sends no Content-Length (chunked):
 * reading past the limit fails with {@link BodyLimitExceededIOException}, which
 * {@link InputGuardInterceptor} turns into a 413 OperationOutcome. Requests that declare a length
 * over the limit are refused by the interceptor before anything is read.
 */
final class BodyLimitFilter extends OncePerRequestFilter {

    private final long limitBytes;

    BodyLimitFilter(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new LimitedRequest(request, limitBytes), response);
    }

    /** Thrown by the wrapped stream once the limit is passed. */
    static final class BodyLimitExceededIOException extends IOException {
        final long limitBytes;

        BodyLimitExceededIOException(long limitBytes) {
            super("request body exceeds " + limitBytes + " bytes");
            this.limitBytes = limitBytes;
        }
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {
        private final long limitBytes;
        private ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, long limitBytes) {
            super(request);
            this.limitBytes = limitBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedInputStream(super.getInputStream(), limitBytes);
            }
            return stream;
        }
    }

    private static final class LimitedInputStream extends ServletInputStream {
        private final ServletInputStream delegate;
        private final long limitBytes;
        private long read;

        LimitedInputStream(ServletInputStream delegate, long limitBytes) {
            this.delegate = delegate;
            this.limitBytes = limitBytes;
        }

        @Override
        public int read() throws IOException {
            int b = delegate.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = delegate.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws BodyLimitExceededIOException {
            read += n;
            if (read > limitBytes) {
                throw new BodyLimitExceededIOException(limitBytes);
            }
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            delegate.setReadListener(listener);
        }
    }
}
