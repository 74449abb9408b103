package org.fhiranchor.server.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.fhiranchor.server.support.ClinicalFixtures;
import org.fhiranchor.server.support.FhirRestTest;
import org.fhiranchor.server.support.SharedData;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ResourceType;
import org.junit.jupiter.api.Test;

/**
 * The flows EHR systems and clinical apps run, over FHIR REST. Written once, run against each
 * database the server supports (H2 by default, PostgreSQL in production).
 */
abstract class MainFlowsTests extends FhirRestTest {

    /** Each run tags its data with its own identifier system, so searches see only this run's data. */
    private final String system = "urn:fhir-anchor:test:" + UUID.randomUUID();

    private IIdType createPatient(String mrn, String family, String birthDate) {
        return client.create()
                .resource(ClinicalFixtures.patient(system, mrn, family, birthDate))
                .execute()
                .getId();
    }

    @Test
    void patientLifecycle_createReadVreadUpdatePatchHistoryDelete() {
        IIdType v1 = createPatient("mrn-life", "Lifecycle", "1980-02-03");
        assertThat(v1.getVersionIdPart()).isEqualTo("1");

        Patient read = client.read()
                .resource(Patient.class)
                .withId(v1.toUnqualifiedVersionless())
                .execute();
        assertThat(read.getNameFirstRep().getFamily()).isEqualTo("Lifecycle");

        read.getNameFirstRep().setFamily("Renamed");
        IIdType v2 = client.update().resource(read).execute().getId();
        assertThat(v2.getVersionIdPart()).isEqualTo("2");

        String patch = "[{\"op\":\"replace\",\"path\":\"/birthDate\",\"value\":\"1980-02-04\"}]";
        IIdType v3 = client.patch()
                .withBody(patch)
                .withId(v1.toUnqualifiedVersionless())
                .execute()
                .getId();
        assertThat(v3.getVersionIdPart()).isEqualTo("3");

        Patient version1 = client.read()
                .resource(Patient.class)
                .withIdAndVersion(v1.getIdPart(), "1")
                .execute();
        assertThat(version1.getNameFirstRep().getFamily()).isEqualTo("Lifecycle");
        Patient current =
                client.read().resource(Patient.class).withId(v1.getIdPart()).execute();
        assertThat(current.getBirthDateElement().getValueAsString()).isEqualTo("1980-02-04");
        assertThat(current.getNameFirstRep().getFamily()).isEqualTo("Renamed");

        Bundle history = client.history()
                .onInstance(v1.toUnqualifiedVersionless())
                .returnBundle(Bundle.class)
                .execute();
        assertThat(history.getEntry()).hasSize(3);

        client.delete().resourceById(v1.toUnqualifiedVersionless()).execute();
        assertThatThrownBy(() -> client.read()
                        .resource(Patient.class)
                        .withId(v1.getIdPart())
                        .execute())
                .isInstanceOf(ResourceGoneException.class);
        // Deleted resources keep their history: earlier versions stay readable.
        assertThat(client.read()
                        .resource(Patient.class)
                        .withIdAndVersion(v1.getIdPart(), "2")
                        .execute()
                        .getNameFirstRep()
                        .getFamily())
                .isEqualTo("Renamed");
    }

    @Test
    void clinicalTypes_createReadUpdateDelete() {
        IIdType patient = createPatient("mrn-types", "Types", "1975-05-06");
        String patientRef = patient.toUnqualifiedVersionless().getValue();
        IIdType org = client.create()
                .resource(ClinicalFixtures.organization("Types Hospital"))
                .execute()
                .getId();

        List<org.hl7.fhir.r4.model.Resource> resources = List.of(
                ClinicalFixtures.observation(patientRef, "2345-7", "laboratory", "2024-01-02T10:00:00Z", "7.20"),
                ClinicalFixtures.medicationRequest(patientRef, MedicationRequest.MedicationRequestStatus.ACTIVE),
                ClinicalFixtures.claim(
                        patientRef, org.toUnqualifiedVersionless().getValue()),
                ClinicalFixtures.researchConsent(patientRef, Consent.ConsentState.ACTIVE));
        for (org.hl7.fhir.r4.model.Resource resource : resources) {
            IIdType id = client.create().resource(resource).execute().getId();
            Class<? extends org.hl7.fhir.r4.model.Resource> type = resource.getClass();
            org.hl7.fhir.r4.model.Resource read =
                    client.read().resource(type).withId(id.getIdPart()).execute();
            assertThat(read.getIdElement().getIdPart()).isEqualTo(id.getIdPart());
            read.getMeta().addTag("urn:fhir-anchor:test", "updated", null);
            assertThat(client.update().resource(read).execute().getId().getVersionIdPart())
                    .isEqualTo("2");
            client.delete().resourceById(id.toUnqualifiedVersionless()).execute();
            assertThatThrownBy(() ->
                            client.read().resource(type).withId(id.getIdPart()).execute())
                    .as(type.getSimpleName() + " after delete")
                    .isInstanceOf(ResourceGoneException.class);
        }
        // Decimal precision survives storage: "7.20" is not "7.2".
        IIdType obs = client.create()
                .resource(ClinicalFixtures.observation(
                        patientRef, "2345-7", "laboratory", "2024-01-02T10:00:00Z", "7.20"))
                .execute()
                .getId();
        HttpResponse<String> raw = get("/Observation/" + obs.getIdPart());
        assertThat(raw.body()).contains("\"value\":7.20");
    }

    @Test
    void searches_thatEhrsAndAppsRun() {
        IIdType alice = createPatient("mrn-alice", "Searchwell", "1961-07-08");
        IIdType bob = createPatient("mrn-bob", "Otherperson", "1990-01-01");
        String aliceRef = alice.toUnqualifiedVersionless().getValue();
        String bobRef = bob.toUnqualifiedVersionless().getValue();
        IIdType org = client.create()
                .resource(ClinicalFixtures.organization("Search Org"))
                .execute()
                .getId();

        client.create()
                .resource(ClinicalFixtures.observation(aliceRef, "2345-7", "laboratory", "2024-01-02T10:00:00Z", "95"))
                .execute();
        client.create()
                .resource(ClinicalFixtures.observation(aliceRef, "8867-4", "vital-signs", "2024-03-01T10:00:00Z", "72"))
                .execute();
        client.create()
                .resource(ClinicalFixtures.observation(aliceRef, "8867-4", "vital-signs", "2023-03-01T10:00:00Z", "80"))
                .execute();
        client.create()
                .resource(ClinicalFixtures.observation(bobRef, "2345-7", "laboratory", "2024-01-02T10:00:00Z", "99"))
                .execute();
        client.create()
                .resource(
                        ClinicalFixtures.medicationRequest(aliceRef, MedicationRequest.MedicationRequestStatus.ACTIVE))
                .execute();
        client.create()
                .resource(
                        ClinicalFixtures.medicationRequest(aliceRef, MedicationRequest.MedicationRequestStatus.STOPPED))
                .execute();
        client.create()
                .resource(ClinicalFixtures.claim(
                        aliceRef, org.toUnqualifiedVersionless().getValue()))
                .execute();
        client.create()
                .resource(ClinicalFixtures.researchConsent(aliceRef, Consent.ConsentState.ACTIVE))
                .execute();
        client.create()
                .resource(ClinicalFixtures.researchConsent(bobRef, Consent.ConsentState.INACTIVE))
                .execute();

        assertThat(count("Observation?subject=" + aliceRef)).isEqualTo(3);
        assertThat(count("Observation?patient=" + aliceRef)).isEqualTo(3);
        assertThat(count("Observation?patient=" + aliceRef + "&code=http://loinc.org|8867-4"))
                .isEqualTo(2);
        assertThat(count("Observation?patient=" + aliceRef + "&date=ge2024-01-01"))
                .isEqualTo(2);
        assertThat(count("Observation?patient=" + aliceRef + "&category=laboratory"))
                .isEqualTo(1);
        assertThat(count("MedicationRequest?patient=" + aliceRef)).isEqualTo(2);
        assertThat(count("MedicationRequest?patient=" + aliceRef + "&status=active"))
                .isEqualTo(1);
        assertThat(count("Claim?patient=" + aliceRef)).isEqualTo(1);
        assertThat(count("Consent?patient=" + aliceRef + "&status=active")).isEqualTo(1);
        assertThat(count("Consent?patient=" + bobRef + "&status=active")).isZero();
        assertThat(count("Consent?patient=" + aliceRef + "&scope=research")).isEqualTo(1);
        assertThat(count("Patient?identifier=" + system + "|mrn-alice")).isEqualTo(1);
        assertThat(count("Patient?identifier=" + system + "|")).isGreaterThanOrEqualTo(2);
        assertThat(count("Patient?name=Searchwell&identifier=" + system + "|")).isEqualTo(1);
        assertThat(count("Patient?birthdate=1961-07-08&identifier=" + system + "|"))
                .isEqualTo(1);

        Bundle included = client.search()
                .byUrl("Observation?patient=" + aliceRef + "&_include=Observation:subject")
                .returnBundle(Bundle.class)
                .execute();
        assertThat(included.getEntry())
                .filteredOn(e -> e.getResource() instanceof Patient)
                .hasSize(1);
        assertThat(included.getEntry())
                .filteredOn(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.INCLUDE)
                .hasSize(1);

        Bundle revIncluded = client.search()
                .byUrl("Patient?_id=" + alice.getIdPart() + "&_revinclude=Observation:subject")
                .returnBundle(Bundle.class)
                .execute();
        assertThat(revIncluded.getEntry())
                .filteredOn(e -> e.getResource() instanceof Observation)
                .hasSize(3);

        Bundle page1 = client.search()
                .byUrl("Observation?patient=" + aliceRef + "&_count=2&_sort=date")
                .returnBundle(Bundle.class)
                .execute();
        assertThat(page1.getEntry()).hasSize(2);
        assertThat(page1.getLink(Bundle.LINK_NEXT)).isNotNull();
        Bundle page2 = client.loadPage().next(page1).execute();
        assertThat(page2.getEntry()).hasSize(1);
    }

    @Test
    void historySince_returnsOnlyLaterVersions() throws InterruptedException {
        IIdType patient = createPatient("mrn-hist", "History", "1970-01-01");
        Thread.sleep(20);
        InstantType since = InstantType.now();
        Thread.sleep(20);
        Patient p = client.read()
                .resource(Patient.class)
                .withId(patient.getIdPart())
                .execute();
        p.setActive(true);
        client.update().resource(p).execute();

        Bundle instanceHistory = client.history()
                .onInstance(patient.toUnqualifiedVersionless())
                .returnBundle(Bundle.class)
                .since(since)
                .execute();
        assertThat(instanceHistory.getEntry()).hasSize(1);
        Bundle typeHistory = client.history()
                .onType(Patient.class)
                .returnBundle(Bundle.class)
                .since(since)
                .execute();
        assertThat(typeHistory.getEntry())
                .anyMatch(e -> e.getResource().getIdElement().getIdPart().equals(patient.getIdPart()));
    }

    @Test
    void transaction_withUrnUuidReferences_isAtomicAndResolved() {
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        String patientUrn = "urn:uuid:" + UUID.randomUUID();
        tx.addEntry()
                .setFullUrl(patientUrn)
                .setResource(ClinicalFixtures.patient(system, "mrn-tx", "Transact", "1999-09-09"))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        for (int i = 0; i < 3; i++) {
            tx.addEntry()
                    .setFullUrl("urn:uuid:" + UUID.randomUUID())
                    .setResource(ClinicalFixtures.observation(
                            patientUrn, "2345-7", "laboratory", "2024-01-0" + (i + 1) + "T00:00:00Z", "1" + i))
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Observation");
        }
        Bundle response = client.transaction().withBundle(tx).execute();
        assertThat(response.getEntry()).hasSize(4);
        assertThat(response.getEntry())
                .allMatch(e -> e.getResponse().getStatus().startsWith("201"));

        String patientId = new org.hl7.fhir.r4.model.IdType(
                        response.getEntryFirstRep().getResponse().getLocation())
                .toUnqualifiedVersionless()
                .getValue();
        assertThat(count("Observation?subject=" + patientId)).isEqualTo(3);
        Observation obs = client.read()
                .resource(Observation.class)
                .withUrl(response.getEntry().get(1).getResponse().getLocation())
                .execute();
        assertThat(obs.getSubject().getReference()).isEqualTo(patientId);
    }

    @Test
    void batch_processesEntriesIndependently() {
        Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
        batch.addEntry()
                .setResource(ClinicalFixtures.patient(system, "mrn-batch", "Batch", "2001-01-01"))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        batch.addEntry()
                .getRequest()
                .setMethod(Bundle.HTTPVerb.GET)
                .setUrl("Patient/does-not-exist-" + UUID.randomUUID());
        Bundle response = client.transaction().withBundle(batch).execute();
        assertThat(response.getEntry().get(0).getResponse().getStatus()).startsWith("201");
        assertThat(response.getEntry().get(1).getResponse().getStatus()).startsWith("404");
        assertThat(count("Patient?identifier=" + system + "|mrn-batch")).isEqualTo(1);
    }

    @Test
    void conditionalCreateAndUpdate_matchOnIdentifier() {
        String match = "Patient?identifier=" + system + "|mrn-cond";
        Patient patient = ClinicalFixtures.patient(system, "mrn-cond", "Conditional", "1988-08-08");
        MethodOutcome first =
                client.create().resource(patient).conditionalByUrl(match).execute();
        MethodOutcome second =
                client.create().resource(patient).conditionalByUrl(match).execute();
        assertThat(first.getCreated()).isTrue();
        assertThat(second.getCreated()).isNotEqualTo(Boolean.TRUE);
        assertThat(second.getId().getIdPart()).isEqualTo(first.getId().getIdPart());
        assertThat(count(match)).isEqualTo(1);

        patient.getNameFirstRep().setFamily("Conditionally-Updated");
        MethodOutcome updated =
                client.update().resource(patient).conditionalByUrl(match).execute();
        assertThat(updated.getId().getIdPart()).isEqualTo(first.getId().getIdPart());
        assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");

        String newMatch = "Patient?identifier=" + system + "|mrn-cond-new";
        MethodOutcome upserted = client.update()
                .resource(ClinicalFixtures.patient(system, "mrn-cond-new", "Upserted", "1988-08-09"))
                .conditionalByUrl(newMatch)
                .execute();
        assertThat(upserted.getCreated()).isTrue();
        assertThat(count(newMatch)).isEqualTo(1);
    }

    @Test
    void syntheaIngest_everyBundleStoredAndCountsMatch() throws IOException {
        Path dir = SharedData.synthea();
        List<Path> bundles;
        try (Stream<Path> files = Files.list(dir)) {
            bundles = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(bundles).hasSize(43);
        Map<String, Integer> expected = expectedTypeCounts(bundles);
        assertThat(expected.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(13_578);

        Map<String, Integer> before = new TreeMap<>();
        expected.keySet().forEach(type -> before.put(type, count(type)));

        // Organizations and practitioners first: the patient bundles are self-contained, but this is
        // the order an EHR export would be loaded in.
        List<Path> ordered = Stream.concat(
                        bundles.stream().filter(p -> !p.getFileName().toString().matches("[A-Z].*")),
                        bundles.stream().filter(p -> p.getFileName().toString().matches("[A-Z].*")))
                .toList();
        long started = System.nanoTime();
        for (Path bundle : ordered) {
            HttpResponse<String> response = http("POST", "", "application/fhir+json", Files.readAllBytes(bundle));
            assertThat(response.statusCode())
                    .as(bundle.getFileName() + ": " + abbreviate(response.body()))
                    .isEqualTo(200);
        }
        System.out.printf(
                "Synthea ingest (%s): 43 bundles, 13578 entries in %.1f s%n",
                getClass().getSimpleName(), (System.nanoTime() - started) / 1e9);

        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            assertThat(count(e.getKey()) - before.get(e.getKey()))
                    .as(e.getKey())
                    .isEqualTo(e.getValue());
        }
    }

    static Map<String, Integer> expectedTypeCounts(List<Path> bundles) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, Integer> counts = new TreeMap<>();
        for (Path bundle : bundles) {
            JsonNode root = mapper.readTree(bundle.toFile());
            for (JsonNode entry : root.path("entry")) {
                counts.merge(entry.path("resource").path("resourceType").asText(), 1, Integer::sum);
            }
        }
        assertThat(counts.keySet()).allMatch(type -> ResourceType.fromCode(type) != null);
        return counts;
    }

    static String abbreviate(String body) {
        return body.length() > 600 ? body.substring(0, 600) + "..." : body;
    }
}
