package org.fhiranchor.server.audit;

import java.time.Instant;
import org.hl7.fhir.r4.model.AuditEvent;

/**
 * The durable first step of every audit record, taken before the request is answered: {@link #write} returns
 * once the event is committed (group commit, {@link GroupCommit}). Where to depends on
 * {@code fhir-anchor.audit.store}: the outbox, from which HAPI resources are made ({@link AuditOutbox}), or the
 * audit store, where the event stays ({@link AuditTable}).
 */
interface AuditWriter extends AutoCloseable {

    /**
     * Commits {@code event}, recorded at {@code recorded}.
     *
     * @throws IllegalStateException if it could not be committed within the configured wait
     */
    void write(AuditEvent event, Instant recorded);

    @Override
    void close();
}
