package org.fhiranchor.server.audit;

import ca.uhn.fhir.context.FhirContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records accesses: the AuditEvent is built on the request thread and committed to the audit outbox
 * (group commit) before the caller goes on; it becomes a resource, written through HAPI's DAO with a system
 * request that the REST interceptors never see, and a member of an anchored batch, shortly after
 * ({@link AuditBatches}). Reading AuditEvents materializes every committed record first.
 */
public final class AuditTrail {

    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

    private final AuditOutbox outbox;
    private final AuditEventFactory factory;
    private final FhirContext fhirContext;

    AuditTrail(AuditOutbox outbox, AuditEventFactory factory, FhirContext fhirContext) {
        this.outbox = outbox;
        this.factory = factory;
        this.fhirContext = fhirContext;
    }

    /** Stores the event; throws if it cannot, so that the caller can refuse to answer unaudited. */
    public void record(AccessRecord access) {
        try {
            outbox.append(
                    access.recorded(),
                    fhirContext.newJsonParser().encodeResourceToString(factory.toAuditEvent(access)));
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
