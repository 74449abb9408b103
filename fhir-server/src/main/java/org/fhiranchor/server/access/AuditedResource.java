package org.fhiranchor.server.access;

import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * How every AuditEvent the server writes names a resource it is about: by a logical identifier
 * ({@value #SYSTEM} | {@code Patient/123}), never by a literal reference. A literal reference
 * would put the audit trail under referential integrity, and would put the event into the named
 * patient's compartment, where every clinical {@code $everything} of that patient would meet it.
 */
public final class AuditedResource {

    public static final String SYSTEM = "urn:fhir-anchor:resource";

    private AuditedResource() {}

    /** @param reference a relative reference such as {@code Patient/123} */
    public static Reference named(String reference) {
        return new Reference().setIdentifier(new Identifier().setSystem(SYSTEM).setValue(reference));
    }

    /**
     * Adds to {@code event} the entity of a patient it is about: named {@code patient} (a relative reference such
     * as {@code Patient/123}) by identifier, of type Person in the role Patient, so that the patient's access log
     * finds the event. Returns the entity, for details.
     */
    public static AuditEvent.AuditEventEntityComponent addPatient(AuditEvent event, String patient) {
        return event.addEntity()
                .setName(patient)
                .setWhat(named(patient))
                .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person"))
                .setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"));
    }
}
