package org.fhiranchor.server.log;

import java.util.concurrent.atomic.AtomicLong;

/**
 * When the last transaction with logged versions committed (its log entries were flushed): background
 * jobs that compete with writes for the same CPU and database (the archiver) use it to step back while
 * clients are writing.
 */
public final class WriteActivity {

    private final AtomicLong lastWriteNanos = new AtomicLong(System.nanoTime() - Long.MAX_VALUE / 4);

    void wrote() {
        lastWriteNanos.set(System.nanoTime());
    }

    /** True if versions were written within the last {@code windowNanos}. */
    public boolean busyWithin(long windowNanos) {
        return System.nanoTime() - lastWriteNanos.get() < windowNanos;
    }
}
