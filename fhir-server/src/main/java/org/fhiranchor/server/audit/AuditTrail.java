package org.fhiranchor.server.audit;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.r4.model.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes AuditEvents through HAPI's DAO, in a transaction of their own that commits before the
 * caller goes on. The DAO call carries a fresh system request, which the REST interceptors
 * (authorization, this audit) never see: writing an event cannot audit itself.
 */
public final class AuditTrail {

    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

    private final DaoRegistry daos;
    private final AuditEventFactory factory;

    AuditTrail(DaoRegistry daos, AuditEventFactory factory) {
        this.daos = daos;
        this.factory = factory;
    }

    /** Stores the event; throws if it cannot, so that the caller can refuse to answer unaudited. */
    public void record(AccessRecord access) {
        try {
            IFhirResourceDao<AuditEvent> dao = daos.getResourceDao(AuditEvent.class);
            dao.create(factory.toAuditEvent(access), new SystemRequestDetails());
        } catch (RuntimeException e) {
            // Class name only: the message of a storage failure may quote stored values.
            LOG.error("Audit event could not be stored (interaction {}, status {}): {}",
                    access.interaction(), access.status(), e.getClass().getName());
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
