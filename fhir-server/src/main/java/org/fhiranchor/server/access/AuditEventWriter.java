package org.fhiranchor.server.access;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.r4.model.AuditEvent;

/**
 * Stores an AuditEvent that a feature composed itself (a research release decision, a bulk export's release) in
 * the audit trail, like the trail's own access records: committed before the call returns, a member of the log's
 * next batch (docs/verification.md 4.2). Implemented by the audit trail.
 */
public interface AuditEventWriter {

    /** @throws RuntimeException if the event could not be stored */
    void write(AuditEvent event);

    /** Straight into HAPI's storage, as an ordinary version: for a server whose access audit is switched off. */
    static AuditEventWriter throughDao(DaoRegistry daoRegistry) {
        return event -> daoRegistry.getResourceDao(AuditEvent.class).create(event, new SystemRequestDetails());
    }
}
