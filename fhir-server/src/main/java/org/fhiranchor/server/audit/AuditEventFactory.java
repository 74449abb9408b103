package org.fhiranchor.server.audit;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import org.fhiranchor.server.access.AuditedResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentNetworkType;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * Turns an {@link AccessRecord} into an R4 AuditEvent (shaped after IHE BALP's RESTful events).
 * What was accessed is named by an identifier, never by a literal reference: a reference would tie
 * the audit trail into referential integrity (a Patient with AuditEvents could no longer be
 * deleted, and an event about an id that does not exist could not be stored at all).
 */
final class AuditEventFactory {

    static final String RESTFUL_INTERACTION = "http://hl7.org/fhir/restful-interaction";
    static final String OPERATION_SYSTEM = "urn:fhir-anchor:operation";
    static final String SUBJECT_SYSTEM = "urn:fhir-anchor:token-subject";
    static final String CLIENT_SYSTEM = "urn:fhir-anchor:client-id";
    static final String ROLE_SYSTEM = "urn:fhir-anchor:role";
    static final String ANONYMOUS = "anonymous";
    static final String FHIR_USER_SYSTEM = "urn:fhir-anchor:fhir-user";
    static final String ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
    static final String BREAK_GLASS = "BTG";

    private final String observer;

    AuditEventFactory(String observer) {
        this.observer = observer;
    }

    AuditEvent toAuditEvent(AccessRecord access) {
        AuditEvent event = new AuditEvent();
        event.setType(
                new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
        if (access.interaction() != null) {
            event.addSubtype(new Coding(RESTFUL_INTERACTION, access.interaction(), null));
        }
        if (access.operationName() != null) {
            event.addSubtype(new Coding(OPERATION_SYSTEM, access.operationName(), null));
        }
        event.setAction(action(access.interaction()));
        event.setRecorded(Date.from(access.recorded()));
        event.setOutcome(outcome(access.status()));
        event.setOutcomeDesc("HTTP " + access.status());

        AuditEventAgentComponent requestor = event.addAgent().setRequestor(true);
        String subject = access.grant().anonymous() ? ANONYMOUS : access.grant().subject();
        requestor.setName(subject).setAltId(subject);
        requestor.setWho(new Reference()
                .setIdentifier(new Identifier().setSystem(SUBJECT_SYSTEM).setValue(subject)));
        if (access.grant().role() != null) {
            requestor.addRole(
                    new CodeableConcept(new Coding(ROLE_SYSTEM, access.grant().role(), null)));
        }
        if (access.clientAddress() != null) {
            requestor.getNetwork().setAddress(access.clientAddress()).setType(AuditEventAgentNetworkType._2);
        }
        if (access.fhirUser() != null) {
            // The person behind the token, as the SMART fhirUser claim names them (by identifier,
            // like everything server-written: the Practitioner need not exist here).
            event.addAgent()
                    .setRequestor(false)
                    .setName(access.fhirUser())
                    .setType(new CodeableConcept(new Coding(
                            "http://terminology.hl7.org/CodeSystem/extra-security-role-type",
                            "humanuser",
                            "human user")))
                    .setWho(new Reference()
                            .setIdentifier(
                                    new Identifier().setSystem(FHIR_USER_SYSTEM).setValue(access.fhirUser())));
        }
        if (access.purposeOfUse() != null) {
            event.addPurposeOfEvent()
                    .addCoding(new Coding(
                            ACT_REASON,
                            access.purposeOfUse(),
                            BREAK_GLASS.equals(access.purposeOfUse()) ? "break the glass" : null));
        }
        if (access.grant().clientId() != null) {
            event.addAgent()
                    .setRequestor(false)
                    .setName(access.grant().clientId())
                    .setType(new CodeableConcept(
                            new Coding("http://dicom.nema.org/resources/ontology/DCM", "110150", "Application")))
                    .setWho(new Reference()
                            .setIdentifier(new Identifier()
                                    .setSystem(CLIENT_SYSTEM)
                                    .setValue(access.grant().clientId())));
        }

        event.getSource()
                .setObserver(new Reference().setDisplay(observer))
                .addType(new Coding(
                        "http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server"));

        if (access.target() != null) {
            AuditEventEntityComponent entity = event.addEntity();
            entity.setName(access.target());
            entity.setWhat(AuditedResource.named(access.target()));
            if (access.resourceType() != null) {
                entity.setType(new Coding("http://hl7.org/fhir/resource-types", access.resourceType(), null));
            }
            if (access.queryParameterNames() != null
                    && !access.queryParameterNames().isEmpty()) {
                entity.setQuery(access.queryParameterNames().getBytes(StandardCharsets.UTF_8));
                entity.setDescription("query parameters (values not recorded): " + access.queryParameterNames());
            }
        }
        // Each patient whose data the request touched, so that the patient's access log finds it.
        for (String patient : new java.util.TreeSet<>(access.patients())) {
            if (patient.equals(access.target())) {
                continue;
            }
            AuditedResource.addPatient(event, patient);
        }
        return event;
    }

    static AuditEventAction action(String interaction) {
        if (interaction == null) {
            return AuditEventAction.E;
        }
        return switch (interaction) {
            case "create" -> AuditEventAction.C;
            case "read", "vread" -> AuditEventAction.R;
            case "update", "patch" -> AuditEventAction.U;
            case "delete" -> AuditEventAction.D;
            default -> AuditEventAction.E;
        };
    }

    static AuditEventOutcome outcome(int status) {
        if (status < 400) {
            return AuditEventOutcome._0;
        }
        return status < 500 ? AuditEventOutcome._4 : AuditEventOutcome._8;
    }
}
