package org.fhiranchor.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fhiranchor.server.log.WriteActivity;
import org.fhiranchor.server.security.Role;
import org.fhiranchor.server.support.BulkDataClient;
import org.fhiranchor.server.support.ClinicalFixtures;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The audit trail in its own store ({@code fhir-anchor.audit.store=table}): everything {@link AuditBatchesTest}
 * asserts of the trail holds (each access an AuditEvent readers see at once, proven through its batch record, a
 * changed row reported by $verify and the member sweep), and the store answers the searches the access log and
 * auditors make, pages them, never puts an AuditEvent into HAPI's tables, and takes a restore's replay once.
 */
// Not AuditBatchesTest's properties (its server keeps the trail as HAPI resources).
@TestPropertySource(
        properties = {AuditStoreTest.CONTEXT, AuditStoreTest.STORE},
        inheritProperties = false)
public class AuditStoreTest extends AuditBatchesTest {

    /** The server of every test of the audit store (one Spring context for all of them). */
    public static final String CONTEXT = "fhir-anchor.test.context-name=audit-store";

    public static final String STORE = "fhir-anchor.audit.store=table";

    @Override
    String changeStoredEvent() {
        return "UPDATE anchor_audit_event SET event_json = REPLACE(event_json, ?, ?) WHERE event_id = ?";
    }

    @Test
    void auditEvents_areExportedAtSystemLevel_besideOtherTypes_sinceAGivenTime() throws Exception {
        // _since to the millisecond, the precision meta.lastUpdated is kept in.
        java.time.Instant since =
                java.time.Instant.now().minusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        String patient = createPatient("x1", "Storeexport");
        assertThat(http("GET", "/" + patient, null, null, token(Role.CLINICIAN)).statusCode())
                .isEqualTo(200);
        BulkDataClient admin = new BulkDataClient(baseUrl(), token(Role.ADMIN));

        JsonNode manifest = admin.export("/$export?_type=Patient,AuditEvent&_since=" + since);
        java.util.List<JsonNode> exported = admin.resources(manifest);
        assertThat(exported)
                .filteredOn(r -> r.path("resourceType").asText().equals("Patient"))
                .extracting(r -> "Patient/" + r.path("id").asText())
                .contains(patient);
        java.util.List<JsonNode> events = exported.stream()
                .filter(r -> r.path("resourceType").asText().equals("AuditEvent"))
                .toList();
        // The admin's create and the clinician's read, and nothing recorded before _since.
        assertThat(events.stream().filter(e -> e.toString().contains(patient))).hasSizeGreaterThanOrEqualTo(2);
        assertThat(events)
                .allSatisfy(e -> assertThat(java.time.Instant.parse(
                                e.path("meta").path("lastUpdated").asText()))
                        .isAfterOrEqualTo(since));

        // The store's types go whole and at system level: not for one patient, not through a _typeFilter.
        HttpResponse<String> patientLevel = admin.kickOff("/Patient/$export?_type=AuditEvent");
        assertThat(patientLevel.statusCode()).as(patientLevel.body()).isEqualTo(400);
        assertThat(patientLevel.body()).contains("OperationOutcome").contains("system level");
        HttpResponse<String> filtered =
                admin.kickOff("/$export?_type=AuditEvent&_typeFilter=AuditEvent%3Fsubtype%3Dread");
        assertThat(filtered.statusCode()).as(filtered.body()).isEqualTo(400);
        assertThat(filtered.body()).contains("OperationOutcome").contains("_typeFilter");
    }

    @Test
    void searches_findTheAccessesOfAPatient_byEachParameter_andPage() throws Exception {
        String patient = createPatient("s1", "Storesearch");
        String other = createPatient("s2", "Storeother");
        String clinician = token(Role.CLINICIAN);
        for (int i = 0; i < 5; i++) {
            assertThat(http("GET", "/" + patient, null, null, clinician).statusCode())
                    .isEqualTo(200);
        }
        assertThat(http("GET", "/" + other, null, null, clinician).statusCode()).isEqualTo(200);
        String auditor = token(Role.AUDITOR);

        // The admin's create and the clinician's five reads.
        List<AuditEvent> byPatient = events("/AuditEvent?patient=" + patient + "&_count=100", auditor);
        assertThat(byPatient)
                .hasSize(6)
                .allSatisfy(event -> assertThat(names(event)).contains(patient).doesNotContain(other));
        assertThat(events("/AuditEvent?entity-name:exact=" + patient + "&_count=100", auditor))
                .hasSize(6);
        assertThat(events("/AuditEvent?entity=" + patient + "&subtype=read&action=R&outcome=0&_count=100", auditor))
                .hasSize(5);
        assertThat(events(
                        "/AuditEvent?patient=" + patient + "&subtype=http://hl7.org/fhir/restful-interaction%7Cread"
                                + "&type=rest&agent-name=TEST-CLIN&_count=100",
                        auditor))
                .as("token with system, string prefix in any case")
                .hasSize(5);
        assertThat(events("/AuditEvent?patient=" + patient + "&subtype=vread", auditor))
                .isEmpty();
        assertThat(events("/AuditEvent?patient=" + patient + "&outcome=4", auditor))
                .isEmpty();

        // Dates: every one of them recorded after the first, none after the last.
        AuditEvent first = byPatient.get(0);
        AuditEvent last = byPatient.get(byPatient.size() - 1);
        String lastRecorded = last.getRecordedElement().getValueAsString();
        assertThat(events("/AuditEvent?patient=" + patient + "&date=gt" + encode(lastRecorded), auditor))
                .isEmpty();
        assertThat(events(
                        "/AuditEvent?patient=" + patient + "&date=ge"
                                + encode(first.getRecordedElement().getValueAsString()) + "&_count=100",
                        auditor))
                .hasSize(6);

        // Newest first on request, in pages of two with next links that carry the search.
        List<AuditEvent> newestFirst = events("/AuditEvent?patient=" + patient + "&_sort=-date&_count=100", auditor);
        assertThat(newestFirst.get(0).getRecorded())
                .isAfterOrEqualTo(newestFirst.get(5).getRecorded());
        assertThat(newestFirst.get(5).getIdElement().getIdPart())
                .as("the create came first")
                .isEqualTo(first.getIdElement().getIdPart());
        Bundle page = bundle("/AuditEvent?patient=" + patient + "&_sort=-date&_count=2", auditor);
        assertThat(page.getTotal()).isEqualTo(6);
        List<String> paged = new java.util.ArrayList<>();
        int pages = 0;
        while (true) {
            pages++;
            page.getEntry()
                    .forEach(e -> paged.add(e.getResource().getIdElement().getIdPart()));
            if (page.getLink("next") == null) {
                break;
            }
            String next = page.getLink("next").getUrl();
            page = bundle(next.substring(next.indexOf("/fhir") + "/fhir".length()), auditor);
        }
        assertThat(pages).isEqualTo(3);
        assertThat(paged)
                .containsExactlyElementsOf(newestFirst.stream()
                        .map(e -> e.getIdElement().getIdPart())
                        .toList());

        // A count without the events, and a parameter the store does not know refused, not ignored.
        assertThat(bundle("/AuditEvent?patient=" + patient + "&_summary=count", auditor)
                        .getTotal())
                .isEqualTo(6);
        HttpResponse<String> unknown = http("GET", "/AuditEvent?policy=x", null, null, auditor);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("OperationOutcome");
    }

    @Autowired
    WriteActivity activity;

    @Test
    void eachCommittedRecord_countsAsAWrite_soThatTheArchiverStepsBackUnderAReadLoad() throws Exception {
        String patient = createPatient("s4", "Storeactivity");
        for (int i = 0; i < 10; i++) {
            assertThat(http("GET", "/" + patient, null, null).statusCode()).isEqualTo(200);
        }
        // Counted in one-second buckets, the current and the previous one. Reads write no version: without their
        // audit records only the create (one version) could be seen here.
        assertThat(activity.recentVersions()).as("the reads' audit records").isGreaterThanOrEqualTo(3);
    }

    @Test
    void theStore_isWhereAuditEventsAre_andHapiHoldsNone() throws Exception {
        String patient = createPatient("s3", "Storeonly");
        assertThat(http("GET", "/" + patient, null, null).statusCode()).isEqualTo(200);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);

        AuditEvent event =
                events("/AuditEvent?patient=" + patient, token(Role.AUDITOR)).get(0);
        String id = event.getIdElement().getIdPart();
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM HFJ_RESOURCE WHERE RES_TYPE = 'AuditEvent' AND FHIR_ID = ?",
                        Long.class,
                        id))
                .as("not in HAPI's tables")
                .isZero();
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM anchor_batch_member WHERE resource_type = 'AuditEvent' AND resource_id = ?",
                        Long.class,
                        id))
                .as("committed with its batch member")
                .isEqualTo(1);
        // New ids are UUIDv7: time-ordered, so each index on the id grows at its end, in the order of recording.
        List<String> recorded = jdbc.queryForList(
                "SELECT e.event_id FROM anchor_audit_event e JOIN anchor_audit_search s ON s.event_id = e.event_id "
                        + "WHERE s.param = 'patient' AND s.search_value = ? ORDER BY e.event_key",
                String.class,
                patient);
        assertThat(recorded)
                .hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(i -> assertThat(UUID.fromString(i).version()).isEqualTo(7))
                .isSorted();
        String auditor = token(Role.AUDITOR);
        assertThat(http("GET", "/AuditEvent/" + id + "/_history/1", null, null, auditor)
                        .statusCode())
                .isEqualTo(200);
        assertThat(http("GET", "/AuditEvent/" + id + "/_history/2", null, null, auditor)
                        .statusCode())
                .isEqualTo(404);
        assertThat(bundle("/AuditEvent/" + id + "/_history", auditor).getEntry())
                .singleElement()
                .satisfies(e ->
                        assertThat(e.getResource().getMeta().getVersionId()).isEqualTo("1"));
        assertThat(http("GET", "/AuditEvent/" + id, null, null, auditor).body()).contains("\"versionId\":\"1\"");
    }

    @Test
    void aRestoreReplay_isStoredOnce_andATransactionWithAnAuditEvent_isRefused() throws Exception {
        String restore = token(Role.RESTORE);
        AuditEvent archived = new AuditEvent();
        archived.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", null));
        archived.setAction(AuditEvent.AuditEventAction.R);
        archived.setRecorded(new java.util.Date(1_700_000_000_000L));
        archived.addEntity().setName("Patient/restored-" + System.nanoTime());
        archived.getSource().getObserver().setDisplay("an earlier server");
        String id = "restored-" + System.nanoTime();
        archived.setId(id);
        byte[] body =
                CLIENT_CONTEXT.newJsonParser().encodeResourceToString(archived).getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> put = http("PUT", "/AuditEvent/" + id, "application/fhir+json", body, restore);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        AuditEvent stored = CLIENT_CONTEXT
                .newJsonParser()
                .parseResource(
                        AuditEvent.class,
                        http("GET", "/AuditEvent/" + id, null, null, token(Role.AUDITOR))
                                .body());
        assertThat(stored.getRecorded()).isEqualTo(archived.getRecorded());
        assertThat(stored.getMeta().getLastUpdated()).isEqualTo(archived.getRecorded());
        assertThat(http("PUT", "/AuditEvent/" + id, "application/fhir+json", body, restore)
                        .statusCode())
                .as("a second replay of the same id")
                .isEqualTo(409);

        // Anyone else may not write the trail at all.
        byte[] other = CLIENT_CONTEXT
                .newJsonParser()
                .encodeResourceToString(archived.copy().setId("x" + id))
                .getBytes(StandardCharsets.UTF_8);
        assertThat(http("PUT", "/AuditEvent/x" + id, "application/fhir+json", other, token(Role.ADMIN))
                        .statusCode())
                .isEqualTo(403);
        assertThat(http("GET", "/AuditEvent/x" + id, null, null, token(Role.AUDITOR))
                        .statusCode())
                .isEqualTo(404);

        // Inside a transaction an AuditEvent would land in HAPI's tables, outside the trail: refused, nothing stored.
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction
                .addEntry()
                .setFullUrl("AuditEvent/t" + id)
                .setResource(archived.copy().setId("t" + id))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("AuditEvent/t" + id);
        HttpResponse<String> refused = http(
                "POST",
                "",
                "application/fhir+json",
                CLIENT_CONTEXT
                        .newJsonParser()
                        .encodeResourceToString(transaction)
                        .getBytes(StandardCharsets.UTF_8),
                restore);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("audit trail's own store");
        assertThat(http("GET", "/AuditEvent/t" + id, null, null, token(Role.AUDITOR))
                        .statusCode())
                .isEqualTo(404);
    }

    @Autowired
    ca.uhn.fhir.interceptor.api.IInterceptorService storageInterceptors;

    @Autowired
    HapiAuditEventGuard guard;

    @Autowired
    ca.uhn.fhir.jpa.api.dao.DaoRegistry daos;

    @Autowired
    AuditBatches batches;

    @Autowired
    ca.uhn.fhir.context.FhirContext serverContext;

    @Test
    void auditEventsThatHapiHolds_areMovedIntoTheStore_servedAsBefore_andStillVerify() throws Exception {
        // What a server that ran with store=hapi left in HAPI's tables (written here past the guard).
        AuditEvent legacy = new AuditEvent();
        legacy.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", null));
        legacy.setAction(AuditEvent.AuditEventAction.R);
        legacy.setRecorded(new java.util.Date());
        String name = "Patient/legacy-" + System.nanoTime();
        org.fhiranchor.server.access.AuditedResource.addPatient(legacy, name);
        legacy.getSource().getObserver().setDisplay("fhir-anchor");
        String id;
        storageInterceptors.unregisterInterceptor(guard);
        try {
            id = daos.getResourceDao(AuditEvent.class)
                    .create(legacy, new ca.uhn.fhir.rest.api.server.SystemRequestDetails())
                    .getId()
                    .getIdPart();
        } finally {
            storageInterceptors.registerInterceptor(guard);
        }
        byte[] hashAsHapiServedIt = new org.fhiranchor.server.log.VersionHasher(serverContext)
                .contentHash(daos.getResourceDao(AuditEvent.class)
                        .read(
                                new org.hl7.fhir.r4.model.IdType("AuditEvent", id, "1"),
                                new ca.uhn.fhir.rest.api.server.SystemRequestDetails()));

        batches.run();

        String auditor = token(Role.AUDITOR);
        HttpResponse<String> served =
                http("GET", "/AuditEvent/" + id + "/_history/1?_format=json", null, null, auditor);
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        assertThat(org.fhiranchor.anchor.canonical.ContentHash.of(served.body().getBytes(StandardCharsets.UTF_8)))
                .as("the store serves the version HAPI served, byte for byte in canonical form")
                .isEqualTo(hashAsHapiServedIt);
        assertThat(events("/AuditEvent?patient=" + name, auditor)).hasSize(1);
        org.awaitility.Awaitility.await("the moved event anchored")
                .atMost(java.time.Duration.ofSeconds(60))
                .until(() -> http("GET", "/AuditEvent/" + id + "/_history/1/$verify", null, null, auditor)
                        .body()
                        .contains("\"anchored\""));

        batches.run();
        assertThat(new JdbcTemplate(dataSource)
                        .queryForObject("SELECT COUNT(*) FROM anchor_audit_event WHERE event_id = ?", Long.class, id))
                .as("moved once")
                .isEqualTo(1);
    }

    private String createPatient(String mrn, String family) {
        return client.create()
                .resource(ClinicalFixtures.patient(
                        "urn:fhir-anchor:test:audit-store:" + java.util.UUID.randomUUID(), mrn, family, "1970-01-01"))
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
    }

    private Bundle bundle(String path, String bearer) {
        HttpResponse<String> response = http("GET", path, null, null, bearer, Map.of());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return CLIENT_CONTEXT.newJsonParser().parseResource(Bundle.class, response.body());
    }

    private List<AuditEvent> events(String path, String bearer) {
        return bundle(path, bearer).getEntry().stream()
                .map(e -> (AuditEvent) e.getResource())
                .toList();
    }

    private static List<String> names(AuditEvent event) {
        return event.getEntity().stream()
                .map(AuditEvent.AuditEventEntityComponent::getName)
                .toList();
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
