package org.fhiranchor.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fhiranchor.server.access.AuditedResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/** What an AuditEvent in the audit store is found by. */
class AuditSearchIndexTest {

    @Test
    void anAccessRecord_isIndexedByItsTokensNamesAndThePatientsItNames() {
        AuditEvent event = new AuditEvent();
        event.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", null));
        event.addSubtype(new Coding("http://hl7.org/fhir/restful-interaction", "read", null));
        event.setAction(AuditEvent.AuditEventAction.R);
        event.setOutcome(AuditEvent.AuditEventOutcome._4);
        event.addAgent()
                .setName("Zoë Clinician")
                .setWho(new Reference()
                        .setIdentifier(new Identifier().setSystem("urn:s").setValue("zoe")));
        event.addEntity().setName("Observation/9").setWhat(AuditedResource.named("Observation/9"));
        AuditedResource.addPatient(event, "Patient/123");

        List<AuditSearchIndex.Row> rows = AuditSearchIndex.rows(event);

        assertThat(rows)
                .contains(
                        new AuditSearchIndex.Row(
                                "type", "http://terminology.hl7.org/CodeSystem/audit-event-type", "rest"),
                        new AuditSearchIndex.Row("subtype", "http://hl7.org/fhir/restful-interaction", "read"),
                        new AuditSearchIndex.Row("action", AuditSearchIndex.ACTION_SYSTEM, "R"),
                        new AuditSearchIndex.Row("outcome", AuditSearchIndex.OUTCOME_SYSTEM, "4"),
                        new AuditSearchIndex.Row("agent-name", null, "ZOE CLINICIAN"),
                        new AuditSearchIndex.Row("agent-name:exact", null, "Zoë Clinician"),
                        new AuditSearchIndex.Row("agent", null, "urn:s|zoe"),
                        new AuditSearchIndex.Row("entity", null, "Observation/9"),
                        new AuditSearchIndex.Row("entity", null, "Patient/123"),
                        new AuditSearchIndex.Row("entity-name:exact", null, "Patient/123"),
                        new AuditSearchIndex.Row("patient", null, "Patient/123"));
        assertThat(rows)
                .filteredOn(r -> r.param().equals("patient"))
                .as("only the Patient it names, not the Observation")
                .hasSize(1);
        assertThat(rows).doesNotHaveDuplicates();
    }

    @Test
    void aPatientSearchValue_isTheReferenceTheIndexHolds() {
        assertThat(AuditSearchIndex.patientReference("123")).isEqualTo("Patient/123");
        assertThat(AuditSearchIndex.patientReference("Patient/123")).isEqualTo("Patient/123");
        assertThat(AuditSearchIndex.patientReference("https://ehr.example/fhir/Patient/123"))
                .isEqualTo("Patient/123");
    }

    @Test
    void longValues_areCutToTheColumn() {
        AuditEvent event = new AuditEvent();
        event.addEntity().setName("x".repeat(400));
        assertThat(AuditSearchIndex.rows(event))
                .allSatisfy(row -> assertThat(row.value()).hasSizeLessThanOrEqualTo(AuditSearchIndex.MAX_VALUE));
    }
}
