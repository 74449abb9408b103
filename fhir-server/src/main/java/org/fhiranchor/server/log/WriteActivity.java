package org.fhiranchor.server.log;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How many versions were committed recently, in one-second buckets: background jobs that compete with
 * writes for the same CPU and database (the archiver) use it to step back while clients write in bulk.
 * The server's own trickle (an AuditEvent per request) stays below the rates that count as busy.
 */
public final class WriteActivity {

    private final AtomicLongArray second = new AtomicLongArray(new long[] {-1, -1});
    private final AtomicLongArray versions = new AtomicLongArray(2);

    void wrote(int count) {
        long now = System.nanoTime() / 1_000_000_000L;
        int slot = (int) (now & 1);
        long seen = second.get(slot);
        if (seen != now && second.compareAndSet(slot, seen, now)) {
            versions.set(slot, 0);
        }
        versions.addAndGet(slot, count);
    }

    /** Versions committed in the current and the previous second. */
    public long recentVersions() {
        long now = System.nanoTime() / 1_000_000_000L;
        long total = 0;
        for (int slot = 0; slot < 2; slot++) {
            long at = second.get(slot);
            if (at == now || at == now - 1) {
                total += versions.get(slot);
            }
        }
        return total;
    }

    /** True if at least {@code minVersions} versions were committed in the current and the previous second. */
    public boolean busy(long minVersions) {
        return recentVersions() >= minVersions;
    }
}
