package org.fhiranchor.server.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.fhiranchor.server.security.Role;
import org.fhiranchor.server.security.TokenIssuer;
import org.fhiranchor.server.support.BulkDataClient;
import org.fhiranchor.server.support.ClinicalFixtures;
import org.fhiranchor.server.support.FhirRestTest;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Standard Bulk Data export through HTTP, as a Bulk Data client drives it: kick-off, status, manifest,
 * files; who may start one, and who may see its status and files; what a patient-privacy Consent and
 * the caller's scopes leave out; the release audit.
 */
class BulkExportTest extends FhirRestTest {

    private final String system = "urn:fhir-anchor:test:bulk:" + UUID.randomUUID();

    private String consenting;
    private String denying;
    private String observation;
    private String deniedObservation;
    private String group;

    @BeforeEach
    void seed() {
        consenting = create(ClinicalFixtures.patient(system, "b1", "Bulk", "1970-01-01"));
        denying = create(ClinicalFixtures.patient(system, "b2", "Private", "1971-01-01"));
        observation =
                create(ClinicalFixtures.observation(consenting, "2345-7", "laboratory", "2024-01-02T10:00:00Z", "90"));
        deniedObservation =
                create(ClinicalFixtures.observation(denying, "2345-7", "laboratory", "2024-01-02T10:00:00Z", "91"));
        create(privacyOptOut(denying));
        Group members = new Group().setType(Group.GroupType.PERSON).setActual(true);
        members.addMember().setEntity(new Reference(consenting));
        members.addMember().setEntity(new Reference(denying));
        group = create(members);
    }

    @Test
    void groupExport_releasesTheGroupsData_butNotAPatientWhoOptedOut() throws Exception {
        BulkDataClient ehr = new BulkDataClient(baseUrl(), token(Role.EHR));
        JsonNode manifest = ehr.export("/" + group + "/$export?_type=Patient,Observation,Consent"
                + "&_outputFormat=application/fhir%2Bndjson");
        assertThat(manifest.path("requiresAccessToken").asBoolean()).isTrue();
        assertThat(manifest.path("transactionTime").asText()).isNotBlank();
        List<String> ids = ehr.resources(manifest).stream()
                .map(r -> r.path("resourceType").asText() + "/" + r.path("id").asText())
                .toList();
        assertThat(ids)
                .contains(consenting, observation)
                .doesNotContain(denying, deniedObservation)
                .doesNotHaveDuplicates();
        assertThat(ids).noneMatch(id -> id.startsWith("Consent/"));

        // The release is audited once, naming both patients by identifier, with the decision.
        Bundle audits = client.search()
                .byUrl("AuditEvent?entity-name=" + denying)
                .returnBundle(Bundle.class)
                .execute();
        AuditEvent release = audits.getEntry().stream()
                .map(e -> (AuditEvent) e.getResource())
                .filter(e -> e.getSubtype().stream().anyMatch(c -> BulkReleaseAudit.SUBTYPE_CODE.equals(c.getCode())))
                .findFirst()
                .orElseThrow();
        Map<String, String> decisions = release.getEntity().stream()
                .filter(e -> e.getName().startsWith("Patient/"))
                .collect(Collectors.toMap(
                        e -> e.getWhat().getIdentifier().getValue(),
                        e -> e.getDetail().stream()
                                .filter(d -> d.getType().equals("decision"))
                                .findFirst()
                                .orElseThrow()
                                .getValueStringType()
                                .getValue()));
        assertThat(decisions).containsEntry(consenting, "released").containsEntry(denying, "withheld");
        assertThat(release.getEntity()).allMatch(e -> !e.getWhat().hasReference());
    }

    @Test
    void systemExport_withoutType_leavesOutWhatTheScopesDoNotCover_andHonoursSince() throws Exception {
        BulkDataClient ehr = new BulkDataClient(baseUrl(), token(Role.EHR));
        JsonNode manifest = ehr.export("/$export");
        Set<String> types = new java.util.TreeSet<>();
        manifest.path("output").forEach(o -> types.add(o.path("type").asText()));
        // system/*.rs never covers the audit trail; HAPI never exports Binary.
        assertThat(types).contains("Patient", "Observation").doesNotContain("AuditEvent", "Binary");

        // _since is compared with meta.lastUpdated, kept to the millisecond: a second either side is plenty.
        Thread.sleep(1100);
        Instant before = Instant.now();
        Thread.sleep(1100);
        String late =
                create(ClinicalFixtures.observation(consenting, "2345-7", "laboratory", "2024-02-02T10:00:00Z", "95"));
        JsonNode since = ehr.export("/$export?_type=Observation&_since=" + before);
        List<String> ids = ehr.resources(since).stream()
                .map(r -> "Observation/" + r.path("id").asText())
                .toList();
        assertThat(ids).contains(late).doesNotContain(observation);
    }

    @Test
    void onlyTheRequester_seesTheStatus_andReadsTheFiles() throws Exception {
        BulkDataClient ehr = new BulkDataClient(baseUrl(), token(Role.EHR));
        HttpResponse<String> kickOff = ehr.kickOff("/Patient/$export?_type=Patient");
        assertThat(kickOff.statusCode()).as(kickOff.body()).isEqualTo(202);
        String status = kickOff.headers().firstValue("Content-Location").orElseThrow();
        JsonNode manifest = ehr.awaitManifest(status);
        String file = manifest.path("output").get(0).path("url").asText();

        String otherEhr = issuer.mint(TokenIssuer.TokenRequest.of(Role.EHR, "another-ehr", Duration.ofMinutes(10)));
        BulkDataClient other = new BulkDataClient(baseUrl(), otherEhr);
        assertThat(other.poll(status).statusCode()).isEqualTo(404);
        assertThat(other.downloadRaw(file).statusCode()).isEqualTo(403);
        assertThat(new BulkDataClient(baseUrl(), null).downloadRaw(file).statusCode())
                .isEqualTo(401);
        assertThat(ehr.download(file)).isNotEmpty();
    }

    @Test
    void kickOff_needsSystemReadScopes_andAsync() {
        for (Role role : List.of(Role.CLINICIAN, Role.RESEARCHER)) {
            assertThat(new BulkDataClient(baseUrl(), token(role))
                            .kickOff("/$export")
                            .statusCode())
                    .as(role.code())
                    .isEqualTo(403);
        }
        assertThat(new BulkDataClient(baseUrl(), null).kickOff("/$export").statusCode())
                .isEqualTo(401);
        // The audit trail needs its own scope, in a bulk export too.
        assertThat(new BulkDataClient(baseUrl(), token(Role.EHR))
                        .kickOff("/$export?_type=AuditEvent")
                        .statusCode())
                .isEqualTo(403);
        // Without Prefer: respond-async.
        assertThat(http("GET", "/$export", null, null, token(Role.EHR)).statusCode())
                .isEqualTo(400);
    }

    @Test
    void cancel_deletesTheExport() throws Exception {
        BulkDataClient ehr = new BulkDataClient(baseUrl(), token(Role.EHR));
        HttpResponse<String> kickOff = ehr.kickOffPost(
                "/$export",
                "{\"resourceType\":\"Parameters\",\"parameter\":["
                        + "{\"name\":\"_type\",\"valueString\":\"Patient,Observation\"}]}");
        assertThat(kickOff.statusCode()).as(kickOff.body()).isEqualTo(202);
        String status = kickOff.headers().firstValue("Content-Location").orElseThrow();
        HttpResponse<String> cancelled = ehr.cancel(status);
        // 202 while it runs; 404 when it had already completed (the IG lets a server answer either way).
        assertThat(cancelled.statusCode()).as(cancelled.body()).isIn(202, 404);
        if (cancelled.statusCode() == 202) {
            assertThat(ehr.poll(status).statusCode()).isEqualTo(404);
        }
    }

    private String create(org.hl7.fhir.r4.model.Resource resource) {
        return client.create()
                .resource(resource)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
    }

    /** A patient-privacy opt-out: no disclosure to anyone (docs/bulk-export.md). */
    static Consent privacyOptOut(String patient) {
        Consent consent = new Consent();
        consent.setStatus(Consent.ConsentState.ACTIVE);
        consent.setScope(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", "Privacy Consent")));
        consent.addCategory(new CodeableConcept(new Coding("http://loinc.org", "59284-0", "Patient Consent")));
        consent.setPatient(new Reference(patient));
        consent.setDateTimeElement(new DateTimeType("2024-05-01T10:00:00Z"));
        consent.setPolicyRule(
                new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTOUT", null)));
        return consent;
    }
}
