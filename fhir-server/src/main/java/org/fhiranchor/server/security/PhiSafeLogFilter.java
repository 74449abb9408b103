package org.fhiranchor.server.security;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Set;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Keeps exception messages out of the log where they may quote health data: HAPI logs every
 * client error's message ("Invalid date/time format: ...", parser errors quoting the input) and
 * every interceptor exception with its message, and Hibernate logs the database's message of a
 * failed statement (H2 and PostgreSQL quote the offending values). Such events are dropped and, for
 * server errors, logged again as the exception classes and stack frames only: enough to find the
 * bug, nothing about the patient. Declared in {@code logback-spring.xml}.
 */
public final class PhiSafeLogFilter extends TurboFilter {

    static final Set<String> HAPI_EXCEPTION_LOGGERS = Set.of(
            "ca.uhn.fhir.rest.server.interceptor.ExceptionHandlingInterceptor",
            "ca.uhn.fhir.interceptor.executor.BaseInterceptorService",
            "ca.uhn.fhir.rest.server.RestfulServer");
    static final String SQL_EXCEPTION_LOGGER = "org.hibernate.engine.jdbc.spi.SqlExceptionHelper";

    private static final org.slf4j.Logger SANITIZED = LoggerFactory.getLogger("org.fhiranchor.server.errors");

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (logger == null || level == null || !level.isGreaterOrEqual(Level.WARN)) {
            return FilterReply.NEUTRAL;
        }
        String name = logger.getName();
        if (SQL_EXCEPTION_LOGGER.equals(name)) {
            // "SQL Error: 23505, SQLState: 23505" is kept (WARN); the database's own text (ERROR) is not.
            return level == Level.ERROR ? FilterReply.DENY : FilterReply.NEUTRAL;
        }
        if (!HAPI_EXCEPTION_LOGGERS.contains(name)) {
            return FilterReply.NEUTRAL;
        }
        Throwable thrown = t != null ? t : lastThrowable(params);
        if (isClientError(thrown) || (thrown == null && level == Level.WARN)) {
            return FilterReply.DENY; // the client's own mistake or a refusal: the audit trail has the status
        }
        if (thrown != null) {
            SANITIZED.error(
                    "Server error in {} (messages withheld, they may contain health data): {}",
                    name.substring(name.lastIndexOf('.') + 1),
                    classChain(thrown),
                    MessageFreeThrowable.of(thrown));
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }

    private static boolean isClientError(Throwable t) {
        return t instanceof DataFormatException
                || (t instanceof BaseServerResponseException e && e.getStatusCode() < 500);
    }

    private static Throwable lastThrowable(Object[] params) {
        return params != null && params.length > 0 && params[params.length - 1] instanceof Throwable t ? t : null;
    }

    static String classChain(Throwable t) {
        StringBuilder chain = new StringBuilder();
        for (Throwable next = t; next != null && chain.length() < 2000; next = next.getCause()) {
            if (!chain.isEmpty()) {
                chain.append(" <- ");
            }
            chain.append(next.getClass().getName());
            if (next.getCause() == next) {
                break;
            }
        }
        return chain.toString();
    }

    /** A copy of an exception chain with the same classes and frames and no messages. */
    static final class MessageFreeThrowable extends Throwable {
        private MessageFreeThrowable(String className, StackTraceElement[] frames, Throwable cause) {
            super(className, cause, false, true);
            setStackTrace(frames);
        }

        static Throwable of(Throwable original) {
            return copy(original, 0);
        }

        private static Throwable copy(Throwable t, int depth) {
            if (t == null || depth > 20) {
                return null;
            }
            Throwable cause = t.getCause() == t ? null : copy(t.getCause(), depth + 1);
            return new MessageFreeThrowable(t.getClass().getName(), t.getStackTrace(), cause);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
