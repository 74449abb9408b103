package org.fhiranchor.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.fhiranchor.server.security.Role;
import org.fhiranchor.server.security.TokenIssuer;
import org.fhiranchor.server.support.ClinicalFixtures;
import org.fhiranchor.server.support.FhirRestTest;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/** Every access of a caller, successful or refused, leaves exactly one AuditEvent, searchable by auditors. */
class AuditTrailTest extends FhirRestTest {

    @Test
    void everyAccessHasExactlyOneAuditEvent() {
        String subject = "audit-ehr-" + UUID.randomUUID();
        String ehrToken = issuer.mint(TokenIssuer.TokenRequest.of(Role.EHR, subject, Duration.ofMinutes(10)));
        IGenericClient ehr = clientWith(ehrToken);
        IGenericClient auditor = clientWith(token(Role.AUDITOR));
        String system = "urn:fhir-anchor:test:audit:" + UUID.randomUUID();
        String since = Instant.now().minusSeconds(1).toString();

        IIdType id = ehr.create()
                .resource(ClinicalFixtures.patient(system, "a1", "Audited", "1970-01-01"))
                .execute()
                .getId()
                .toUnqualifiedVersionless(); // create
        Patient read = ehr.read().resource(Patient.class).withId(id).execute(); // read
        ehr.read().resource(Patient.class).withIdAndVersion(id.getIdPart(), "1").execute(); // vread
        read.setActive(true);
        ehr.update().resource(read).execute(); // update
        ehr.patch()
                .withBody("[{\"op\":\"replace\",\"path\":\"/active\",\"value\":false}]")
                .withId(id)
                .execute(); // patch
        ehr.search()
                .byUrl("Patient?identifier=" + system + "|a1")
                .returnBundle(Bundle.class)
                .execute(); // search
        ehr.history().onInstance(id).returnBundle(Bundle.class).execute(); // history
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        tx.addEntry()
                .setResource(ClinicalFixtures.patient(system, "a2", "Transacted", "1971-01-01"))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        ehr.transaction().withBundle(tx).execute(); // transaction
        ehr.operation()
                .onInstance(id)
                .named("$meta")
                .withNoParameters(Parameters.class)
                .execute(); // operation
        ehr.delete().resourceById(id).execute(); // delete
        assertThatThrownBy(() -> ehr.read().resource(Patient.class).withId(id).execute()) // 410
                .isInstanceOf(BaseServerResponseException.class);
        assertThatThrownBy(() -> ehr.search()
                        .forResource(AuditEvent.class)
                        .returnBundle(Bundle.class)
                        .execute()) // 403
                .isInstanceOf(BaseServerResponseException.class);
        assertThat(http(
                                "POST",
                                "/Patient",
                                "application/fhir+json", // 400
                                "{\"resourceType\":\"Patient\",\"bogus\":1}".getBytes(StandardCharsets.UTF_8),
                                ehrToken)
                        .statusCode())
                .isEqualTo(400);
        int expected = 13;

        assertThat(count(auditor, "AuditEvent?agent-name=" + subject)).isEqualTo(expected);
        assertThat(count(auditor, "AuditEvent?agent-name=" + subject + "&date=ge" + since))
                .isEqualTo(expected);
        assertThat(count(auditor, "AuditEvent?agent-name=" + subject + "&outcome=4"))
                .isEqualTo(3);
        assertThat(count(auditor, "AuditEvent?agent-name=" + subject + "&entity-name=" + id.getValue()))
                .isGreaterThanOrEqualTo(8);
        for (String interaction : List.of(
                "create",
                "read",
                "vread",
                "update",
                "patch",
                "search-type",
                "history-instance",
                "transaction",
                "operation",
                "delete")) {
            assertThat(count(
                            auditor,
                            "AuditEvent?agent-name=" + subject + "&subtype=" + AuditEventFactory.RESTFUL_INTERACTION
                                    + "|" + interaction))
                    .as(interaction)
                    .isGreaterThanOrEqualTo(1);
        }
        // Reading the audit trail is itself audited, under the auditor's name, and only once.
        assertThat(count(auditor, "AuditEvent?agent-name=" + subject)).isEqualTo(expected);
    }

    @Test
    void auditEventsRecordWhoWhatWhenOutcome_withoutQueryValues() {
        String subject = "audit-detail-" + UUID.randomUUID();
        IGenericClient ehr =
                clientWith(issuer.mint(TokenIssuer.TokenRequest.of(Role.CLINICIAN, subject, Duration.ofMinutes(5))));
        ehr.search()
                .byUrl("Patient?family=Secretname&birthdate=1970-01-01")
                .returnBundle(Bundle.class)
                .execute();

        Bundle found = clientWith(token(Role.AUDITOR))
                .search()
                .byUrl("AuditEvent?agent-name=" + subject)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(found.getEntry()).hasSize(1);
        AuditEvent event = (AuditEvent) found.getEntryFirstRep().getResource();
        assertThat(event.getAgentFirstRep().getName()).isEqualTo(subject);
        assertThat(event.getAgentFirstRep()
                        .getRoleFirstRep()
                        .getCodingFirstRep()
                        .getCode())
                .isEqualTo("clinician");
        assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
        assertThat(event.getRecorded()).isNotNull();
        assertThat(event.getEntityFirstRep().getName()).isEqualTo("Patient");
        String query = new String(event.getEntityFirstRep().getQuery(), StandardCharsets.UTF_8);
        assertThat(query).contains("family").contains("birthdate");
        assertThat(clientWith(token(Role.ADMIN))
                        .read()
                        .resource(AuditEvent.class)
                        .withId(event.getIdElement().getIdPart())
                        .execute()
                        .toString())
                .doesNotContain("Secretname");
        assertThat(CLIENT_CONTEXT.newJsonParser().encodeResourceToString(event)).doesNotContain("Secretname");
    }

    @Test
    void refusalsWithoutAValidToken_areAuditedAsAnonymous() {
        String path = "/fhir/Patient/" + UUID.randomUUID();
        assertThat(http("GET", path.substring("/fhir".length()), null, null, "not.a.token")
                        .statusCode())
                .isEqualTo(401);
        assertThat(http("GET", path.substring("/fhir".length()), null, null, null)
                        .statusCode())
                .isEqualTo(401);

        Bundle found = clientWith(token(Role.AUDITOR))
                .search()
                .byUrl("AuditEvent?entity-name:exact=" + path)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(found.getEntry()).hasSize(2).allSatisfy(entry -> {
            AuditEvent event = (AuditEvent) entry.getResource();
            assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
            assertThat(event.getOutcomeDesc()).isEqualTo("HTTP 401");
            assertThat(event.getAgentFirstRep().getName()).isEqualTo(AuditEventFactory.ANONYMOUS);
        });
    }

    @Test
    void auditTrailIsAppendOnly_evenForAdmins() {
        IGenericClient admin = clientWith(token(Role.ADMIN));
        AuditEvent forged = new AuditEvent();
        forged.setType(new org.hl7.fhir.r4.model.Coding("urn:x", "x", null));
        forged.setRecorded(new java.util.Date());
        forged.getSource().setObserver(new org.hl7.fhir.r4.model.Reference().setDisplay("forger"));
        forged.setMeta(new Meta());
        assertThatThrownBy(() -> admin.create().resource(forged).execute())
                .isInstanceOfSatisfying(
                        BaseServerResponseException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(403));

        // ...and the CapabilityStatement does not offer what is refused; it still offers reading the trail.
        org.hl7.fhir.r4.model.CapabilityStatement statement = admin.capabilities()
                .ofType(org.hl7.fhir.r4.model.CapabilityStatement.class)
                .execute();
        assertThat(statement.getRestFirstRep().getResource())
                .filteredOn(resource -> "AuditEvent".equals(resource.getType()))
                .singleElement()
                .satisfies(auditEvent -> assertThat(auditEvent.getInteraction())
                        .extracting(interaction -> interaction.getCode().toCode())
                        .contains("read", "search-type")
                        .doesNotContain("create"));
    }

    private static int count(IGenericClient client, String query) {
        return client.search()
                .byUrl(query + "&_summary=count")
                .returnBundle(Bundle.class)
                .execute()
                .getTotal();
    }
}
