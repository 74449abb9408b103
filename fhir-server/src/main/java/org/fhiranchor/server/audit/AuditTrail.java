package org.fhiranchor.server.audit;

import java.time.Clock;
import java.time.Instant;
import org.fhiranchor.server.access.AuditEventWriter;
import org.hl7.fhir.r4.model.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records accesses: the AuditEvent is built on the request thread and committed (group commit) before the caller
 * goes on, by the {@link AuditWriter} that {@code fhir-anchor.audit.store} chooses: into the audit store together
 * with its batch member ({@code table}), or into the outbox, from which it becomes a HAPI resource and a batch
 * member shortly after ({@code hapi}, {@link AuditBatches}; reading AuditEvents materializes every committed record
 * first).
 */
public final class AuditTrail implements AuditEventWriter {

    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

    private final AuditWriter writer;
    private final AuditEventFactory factory;
    private final Clock clock;

    AuditTrail(AuditWriter writer, AuditEventFactory factory, Clock clock) {
        this.writer = writer;
        this.factory = factory;
        this.clock = clock;
    }

    /** Stores an event composed elsewhere, recorded now if it says no time itself. */
    @Override
    public void write(AuditEvent event) {
        Instant recorded = event.hasRecorded() ? event.getRecorded().toInstant() : clock.instant();
        writer.write(event, recorded);
    }

    /** Stores the event; throws if it cannot, so that the caller can refuse to answer unaudited. */
    public void record(AccessRecord access) {
        try {
            writer.write(factory.toAuditEvent(access), access.recorded());
        } catch (RuntimeException e) {
            // Class name only: the message of a storage failure may quote stored values.
            LOG.error(
                    "Audit event could not be stored (interaction {}, status {}): {}",
                    access.interaction(),
                    access.status(),
                    e.getClass().getName());
            throw new AuditUnavailableException(e);
        }
    }

    /** The audit trail could not be written: the request is answered with 500 instead. */
    static final class AuditUnavailableException extends RuntimeException {
        AuditUnavailableException(Throwable cause) {
            super("The audit trail is unavailable", cause);
        }
    }
}
