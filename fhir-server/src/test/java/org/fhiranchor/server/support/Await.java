package org.fhiranchor.server.support;

import java.time.Duration;
import java.time.Instant;

/** Polls a condition until it holds, or fails the test naming what it waited for. */
public final class Await {

    /** A condition that may throw (HTTP calls, database reads). */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    private Await() {}

    public static void until(String what, Duration timeout, Condition condition) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.holds()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(250);
        }
    }
}
