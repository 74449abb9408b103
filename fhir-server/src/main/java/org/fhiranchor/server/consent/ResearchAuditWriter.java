package org.fhiranchor.server.consent;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import java.time.Clock;
import java.util.Date;
import java.util.Map;
import org.fhiranchor.server.access.AuditEventWriter;
import org.fhiranchor.server.access.AuditedResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one AuditEvent per research request into the audit trail (committed, then anchored as a batch
 * member like every access record), with one entity per patient decided on: the patient, named by
 * identifier like every server-written audit record ({@link AuditedResource}), the decision, how many resources were released and withheld, and the Consents that decided. No
 * query string, names or content: references and counts only.
 */
public final class ResearchAuditWriter {

    public static final String SUBTYPE_SYSTEM = "urn:fhir-anchor:consent";
    public static final String SUBTYPE_CODE = "research-release-decision";
    public static final String REQUESTER_SYSTEM = "urn:fhir-anchor:requester";
    private static final Logger log = LoggerFactory.getLogger(ResearchAuditWriter.class);

    private final AuditEventWriter auditEvents;
    private final Clock clock;

    public ResearchAuditWriter(AuditEventWriter auditEvents, Clock clock) {
        this.auditEvents = auditEvents;
        this.clock = clock;
    }

    /** @param operation the REST interaction, or null for work that is not one request (an export job) */
    public void write(
            ResearchRequester requester,
            RestOperationTypeEnum operation,
            Map<String, PatientTally> tallies,
            boolean succeeded) {
        AuditEvent event = new AuditEvent();
        event.setType(
                new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
        event.addSubtype(new Coding(SUBTYPE_SYSTEM, SUBTYPE_CODE, "Research release decision"));
        if (operation != null && operation.getCode() != null) {
            event.addSubtype(new Coding("http://hl7.org/fhir/restful-interaction", operation.getCode(), null));
        }
        event.setAction(AuditEvent.AuditEventAction.R);
        event.setRecorded(Date.from(clock.instant()));
        event.setOutcome(succeeded ? AuditEvent.AuditEventOutcome._0 : AuditEvent.AuditEventOutcome._4);
        event.addPurposeOfEvent().addCoding(new Coding(ConsentEvaluator.ACT_REASON, requester.purposeOfUse(), null));
        // The requester as a logical identifier: it need not exist as a resource on this server.
        event.addAgent()
                .setRequestor(true)
                .setWho(new Reference()
                        .setIdentifier(
                                new Identifier().setSystem(REQUESTER_SYSTEM).setValue(requester.requesterReference())));
        event.getSource().setObserver(new Reference().setDisplay("FHIR Anchor consent engine"));
        tallies.forEach((patient, tally) -> {
            AuditEvent.AuditEventEntityComponent entity = AuditedResource.addPatient(event, patient);
            entity.addDetail()
                    .setType("decision")
                    .setValue(new org.hl7.fhir.r4.model.StringType(
                            tally.verdict().outcome().code()));
            entity.addDetail()
                    .setType("released")
                    .setValue(new org.hl7.fhir.r4.model.StringType(Integer.toString(tally.released())));
            entity.addDetail()
                    .setType("withheld")
                    .setValue(new org.hl7.fhir.r4.model.StringType(Integer.toString(tally.withheld())));
            if (!tally.verdict().consents().isEmpty()) {
                entity.addDetail()
                        .setType("consents")
                        .setValue(new org.hl7.fhir.r4.model.StringType(
                                String.join(",", tally.verdict().consents())));
            }
        });
        try {
            auditEvents.write(event);
        } catch (RuntimeException e) {
            // The response has gone already; say that auditing failed, without any content.
            log.error(
                    "Could not store the research release AuditEvent: {}",
                    e.getClass().getName());
        }
    }
}
