package org.fhiranchor.server.log;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Whether clients are writing in bulk: transaction or batch Bundles being processed, or many versions written
 * recently (HAPI versions, and the audit records each request commits). Background jobs that compete with requests
 * for the same CPU and database (the archiver) use it to step back meanwhile.
 *
 * <p>Versions are counted in one-second buckets as HAPI stores each one (its pre-storage hooks), not at commit:
 * HAPI defers a transaction's pre-commit hooks to its end. A Bundle counts from the moment HAPI starts handling
 * it, because a large one spends seconds resolving and flushing without storing a version, and until two seconds
 * after it ended, the gap before a client's next Bundle. The server's own
 * trickle (an AuditEvent per request) and single-resource writes at a normal pace stay below what counts as busy.
 * The storage hooks are registered with the storage layer, {@link #requestHooks()} with the REST server.
 */
@Interceptor
public final class WriteActivity {

    private static final long GRACE_NANOS = 2_000_000_000L;

    private final AtomicLongArray second = new AtomicLongArray(new long[] {-1, -1});
    private final AtomicLongArray versions = new AtomicLongArray(2);
    private final AtomicInteger bundlesInFlight = new AtomicInteger();
    /** When the last Bundle ended (System.nanoTime()): a client posting Bundles one after the other is busy in between. */
    private volatile long lastBundleEnded = System.nanoTime() - GRACE_NANOS;

    private final Object requestHooks = new RequestHooks();

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void creating() {
        wrote();
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updating() {
        wrote();
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
    public void deleting() {
        wrote();
    }

    /**
     * One audit record committed to the audit store: each request's own write. The store does not pass HAPI's storage
     * hooks, so it reports its records here; a read load of at least the busy threshold's requests a second then
     * counts as busy, as it did when every AuditEvent was a HAPI version.
     */
    public void auditRecorded() {
        wrote();
    }

    private void wrote() {
        long now = System.nanoTime() / 1_000_000_000L;
        int slot = (int) (now & 1);
        long seen = second.get(slot);
        if (seen != now && second.compareAndSet(slot, seen, now)) {
            versions.set(slot, 0);
        }
        versions.incrementAndGet(slot);
    }

    /** Versions written in the current and the previous second. */
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

    /** Transaction and batch Bundles being handled right now. */
    public int bundlesInFlight() {
        return bundlesInFlight.get();
    }

    /**
     * True while a transaction or batch Bundle is being handled or for two seconds after one ended (the gap until a
     * client's next Bundle), or if at least {@code minVersions} versions were written in the current and the previous
     * second.
     */
    public boolean busy(long minVersions) {
        return bundlesInFlight.get() > 0
                || System.nanoTime() - lastBundleEnded < GRACE_NANOS
                || recentVersions() >= minVersions;
    }

    /** The REST server's part: counts transaction and batch requests in flight. */
    public Object requestHooks() {
        return requestHooks;
    }

    @Interceptor
    public final class RequestHooks {

        private static final String COUNTED = WriteActivity.class.getName() + ".bundle";

        private RequestHooks() {}

        @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
        public void started(RequestDetails request, RestOperationTypeEnum operation) {
            if (operation == RestOperationTypeEnum.TRANSACTION || operation == RestOperationTypeEnum.BATCH) {
                request.getUserData().put(COUNTED, Boolean.TRUE);
                bundlesInFlight.incrementAndGet();
            }
        }

        /** Called for every request, whether it succeeded, failed, or never reached {@link #started}. */
        @Hook(Pointcut.SERVER_PROCESSING_COMPLETED)
        public void completed(RequestDetails request) {
            if (request.getUserData().remove(COUNTED) != null) {
                lastBundleEnded = System.nanoTime();
                bundlesInFlight.decrementAndGet();
            }
        }
    }
}
