package org.fhiranchor.server.bulk;

import java.time.Clock;
import java.util.Date;
import java.util.Map;
import org.fhiranchor.server.access.AuditEventWriter;
import org.fhiranchor.server.access.AuditedResource;
import org.fhiranchor.server.fhir.BulkExportContext;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * One AuditEvent per released bulk export, written into the audit trail (committed before the manifest is
 * sent, anchored as a batch member like every access record): who started it, the export, how many resources of each type it released, and one
 * entity per patient whose data it considered, named by identifier (never by reference, so the event
 * is in no patient's compartment), with the decision and the counts. No content, no query values.
 */
final class BulkReleaseAudit {

    static final String SUBTYPE_SYSTEM = "urn:fhir-anchor:bulk";
    static final String SUBTYPE_CODE = "bulk-data-release";
    static final String SUBJECT_SYSTEM = "urn:fhir-anchor:token-subject";

    private final AuditEventWriter auditEvents;
    private final Clock clock;

    BulkReleaseAudit(AuditEventWriter auditEvents, Clock clock) {
        this.auditEvents = auditEvents;
        this.clock = clock;
    }

    void write(BulkExportRepository.Requester requester, String jobId, ReleaseTally tally) {
        AuditEvent event = new AuditEvent();
        event.setType(new Coding("http://dicom.nema.org/resources/ontology/DCM", "110106", "Export"));
        event.addSubtype(new Coding(SUBTYPE_SYSTEM, SUBTYPE_CODE, "Bulk Data export released"));
        event.addSubtype(new Coding("urn:fhir-anchor:operation", "$export", null));
        event.setAction(AuditEvent.AuditEventAction.R);
        event.setRecorded(Date.from(clock.instant()));
        event.setOutcome(AuditEvent.AuditEventOutcome._0);
        AuditEvent.AuditEventAgentComponent agent = event.addAgent()
                .setRequestor(true)
                .setName(requester.subject())
                .setAltId(requester.subject())
                .setWho(new Reference()
                        .setIdentifier(
                                new Identifier().setSystem(SUBJECT_SYSTEM).setValue(requester.subject())));
        if (requester.role() != null) {
            agent.addRole().addCoding(new Coding("urn:fhir-anchor:role", requester.role(), null));
        }
        if (requester.clientId() != null) {
            event.addAgent()
                    .setRequestor(false)
                    .setName(requester.clientId())
                    .setType(new org.hl7.fhir.r4.model.CodeableConcept(
                            new Coding("http://dicom.nema.org/resources/ontology/DCM", "110150", "Application")));
        }
        event.getSource().setObserver(new Reference().setDisplay("FHIR Anchor bulk export"));
        AuditEvent.AuditEventEntityComponent export = event.addEntity()
                .setName("$export " + jobId)
                .setWhat(new Reference()
                        .setIdentifier(new Identifier()
                                .setSystem(BulkExportContext.EXPORT_KEY_SYSTEM)
                                .setValue(requester.exportKey())));
        tally.releasedByType()
                .forEach((type, count) -> export.addDetail()
                        .setType("released:" + type)
                        .setValue(new StringType(String.valueOf(count.get()))));
        for (Map.Entry<String, ReleaseTally.PatientCounts> patient :
                tally.patients().entrySet()) {
            int released = patient.getValue().released().get();
            int withheld = patient.getValue().withheld().get();
            AuditEvent.AuditEventEntityComponent entity = AuditedResource.addPatient(event, patient.getKey());
            entity.addDetail().setType("decision").setValue(new StringType(withheld == 0 ? "released" : "withheld"));
            entity.addDetail().setType("released").setValue(new StringType(String.valueOf(released)));
            entity.addDetail().setType("withheld").setValue(new StringType(String.valueOf(withheld)));
        }
        auditEvents.write(event);
    }
}
