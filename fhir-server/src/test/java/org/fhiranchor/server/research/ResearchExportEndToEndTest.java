package org.fhiranchor.server.research;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.fhiranchor.server.anchoring.ChainConnection;
import org.fhiranchor.server.consent.ResearchConsents;
import org.fhiranchor.server.consent.ResearchConsents.Variant;
import org.fhiranchor.server.security.Role;
import org.fhiranchor.server.security.TokenIssuer;
import org.fhiranchor.server.support.ClinicalFixtures;
import org.fhiranchor.server.support.FhirRestTest;
import org.fhiranchor.server.support.TestDataDirectory;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.utilities.xhtml.XhtmlNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.util.FileSystemUtils;

/**
 * The research export through REST and the researcher's own command line, on the embedded chain: consent variants
 * decide who is in it, nothing identifying survives, references resolve, the provenance verifies offline and a
 * modified export does not, only a researcher can start one, and another researcher can neither see nor decrypt it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResearchExportEndToEndTest extends FhirRestTest {

    private static final List<String> TYPES = List.of("Claim", "MedicationRequest", "Observation", "Patient");

    @Autowired
    ChainConnection chain;

    private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final String lab = "Organization/rx-lab-" + run;
    private final String otherLab = "Organization/rx-otherlab-" + run;
    /** Each case's marker: its Observation's value, which de-identification keeps. */
    private final Map<String, String> markers = new LinkedHashMap<>();

    private final Set<String> identifying = new TreeSet<>();
    private final Path workDir = TestDataDirectory.newSubdirectory("research-export-");
    private Instant seededFrom;
    private String labToken;
    private String otherLabToken;
    private Path labKey;
    private String labPublicKey;
    private Path otherKey;
    private String otherPublicKey;

    @BeforeAll
    void seed() {
        labToken = researcher(lab, "HRESCH");
        otherLabToken = researcher(otherLab, "HRESCH");
        labKey = workDir.resolve("lab.key");
        labPublicKey = ResearcherCli.keygen(labKey);
        otherKey = workDir.resolve("other.key");
        otherPublicKey = ResearcherCli.keygen(otherKey);

        seededFrom = Instant.now().minusSeconds(1);
        token = token(Role.ADMIN);
        client = clientWith(token);
        client.update()
                .resource(ClinicalFixtures.organization("Research Lab").setId(new IdType(lab)))
                .execute();
        client.update()
                .resource(ClinicalFixtures.organization("Other Lab").setId(new IdType(otherLab)))
                .execute();
        int base = ThreadLocalRandom.current().nextInt(10_000, 99_999);
        List<String> cases = List.of(
                "permitOrg",
                "permitAny",
                "otherLabOnly",
                "deny",
                "expired",
                "wrongPurpose",
                "revoked",
                "deleted",
                "none");
        for (int i = 0; i < cases.size(); i++) {
            String kase = cases.get(i);
            String patient = "Patient/" + newPatient(kase);
            String marker = base + "." + (10 + i);
            markers.put(kase, marker);
            client.create()
                    .resource(ClinicalFixtures.observation(
                            patient, "2345-7", "laboratory", "2024-02-03T10:11:12Z", marker))
                    .execute();
            client.create()
                    .resource(ClinicalFixtures.medicationRequest(
                            patient, MedicationRequest.MedicationRequestStatus.ACTIVE))
                    .execute();
            client.create().resource(ClinicalFixtures.claim(patient, lab)).execute();
        }
        consent(Variant.PERMIT_ORGANIZATION, "permitOrg", lab);
        consent(Variant.PERMIT_ANY_RESEARCHER, "permitAny", lab);
        consent(Variant.PERMIT_ORGANIZATION, "otherLabOnly", otherLab);
        consent(Variant.DENY, "deny", lab);
        consent(Variant.EXPIRED_PERIOD, "expired", lab);
        consent(Variant.WRONG_PURPOSE, "wrongPurpose", lab);
        Consent revoked = client.read()
                .resource(Consent.class)
                .withId(consent(Variant.PERMIT_ORGANIZATION, "revoked", lab))
                .execute();
        revoked.setStatus(Consent.ConsentState.INACTIVE);
        client.update().resource(revoked).execute();
        client.delete()
                .resourceById(new IdType("Consent", consent(Variant.PERMIT_ORGANIZATION, "deleted", lab)))
                .execute();
    }

    @AfterAll
    void removeFiles() {
        FileSystemUtils.deleteRecursively(workDir.toFile());
    }

    @Test
    void export_holdsExactlyTheConsentingPatients_deidentified_withReferencesIntact() throws Exception {
        Instant started = Instant.now();
        Path dir = exportAndFetch(labToken, labPublicKey, "lab");
        // Every file is written as fhir-anchor-box/2 (HPKE, docs/research-export.md section 4.1).
        try (Stream<Path> sealed = Files.list(dir)) {
            List<Path> files = sealed.filter(f -> f.getFileName().toString().endsWith(".ndjson.enc"))
                    .toList();
            assertThat(files).isNotEmpty();
            for (Path file : files) {
                assertThat(new String(Files.readAllBytes(file), 0, 4, StandardCharsets.US_ASCII))
                        .as(file.toString())
                        .isEqualTo("FAB2");
            }
        }
        Map<String, List<Resource>> export = verifyAndDecrypt(dir, labKey, "lab-plain");
        System.out.println("Small research export finished in "
                + Duration.between(started, Instant.now()).toMillis() + " ms");

        // Only resources written by this test (the export's _since), of the two consenting patients.
        assertThat(markersIn(export)).containsExactlyInAnyOrder(markers.get("permitOrg"), markers.get("permitAny"));
        for (String type : TYPES) {
            assertThat(export.getOrDefault(type, List.of())).as(type).hasSize(2);
        }
        Set<String> patientIds = export.get("Patient").stream()
                .map(r -> "Patient/" + r.getIdElement().getIdPart())
                .collect(Collectors.toSet());
        for (Resource resource : export.values().stream().flatMap(List::stream).toList()) {
            if (resource instanceof Observation o) {
                assertThat(patientIds).contains(o.getSubject().getReference());
            } else if (resource instanceof MedicationRequest m) {
                assertThat(patientIds).contains(m.getSubject().getReference());
            } else if (resource instanceof org.hl7.fhir.r4.model.Claim c) {
                assertThat(patientIds).contains(c.getPatient().getReference());
            }
        }
        // Pseudonyms, not the server's ids; clinical codes and values kept.
        String plaintext = plaintext(workDir.resolve("lab-plain"));
        for (String secret : identifying) {
            assertThat(plaintext).as("identifying value in the export").doesNotContain(secret);
        }
        Observation observation = (Observation) export.get("Observation").get(0);
        assertThat(observation.getCode().getCodingFirstRep().getCode()).isEqualTo("2345-7");
        assertThat(observation.getValueQuantity().getUnit()).isEqualTo("mg/dL");

        // Every inclusion and exclusion is recorded: one AuditEvent naming each patient's decision.
        Map<String, String> decisions = auditedDecisions(lab);
        assertThat(decisions)
                .containsEntry(patientRef("permitOrg"), "permit")
                .containsEntry(patientRef("permitAny"), "permit")
                .containsEntry(patientRef("deny"), "deny")
                .containsEntry(patientRef("none"), "no-consent")
                .containsEntry(patientRef("otherLabOnly"), "no-consent");
    }

    @Test
    void anotherResearcher_getsOnlyPatientsWhoConsentedForThem_andCannotSeeOrDecryptTheLabsExport() throws Exception {
        Path dir = exportAndFetch(otherLabToken, otherPublicKey, "other");
        Map<String, List<Resource>> export = verifyAndDecrypt(dir, otherKey, "other-plain");
        assertThat(markersIn(export)).containsExactlyInAnyOrder(markers.get("permitAny"), markers.get("otherLabOnly"));

        // The lab's export: the other lab cannot poll it, and its key does not open the files.
        String labStatus = kickOff(labToken, labPublicKey, "_type=Patient");
        assertThat(http("GET", pathOf(labStatus), null, null, otherLabToken).statusCode())
                .isEqualTo(404);
        Path labDir = fetch(labStatus, labToken, "lab-again");
        ResearcherCli wrongKey = ResearcherCli.run(
                "research-verify",
                "--dir",
                labDir.toString(),
                "--rpc",
                chain.rpcUrl(),
                "--contract",
                chain.ledger().contractAddress(),
                "--key",
                otherKey.toString(),
                "--out",
                workDir.resolve("wrong-key-plain").toString());
        assertThat(wrongKey.exitCode()).as(wrongKey.toString()).isEqualTo(1);
        assertThat(wrongKey.toString()).containsIgnoringCase("decrypt");
    }

    @Test
    void modifiedExport_failsVerification() throws Exception {
        Path dir = exportAndFetch(labToken, labPublicKey, "tampered");
        Path dataFile;
        try (Stream<Path> files = Files.list(dir)) {
            dataFile = files.filter(p -> p.getFileName().toString().startsWith("Observation-"))
                    .findFirst()
                    .orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(dataFile);
        bytes[bytes.length - 5] ^= 0x01;
        Files.write(dataFile, bytes);
        ResearcherCli result = verify(dir, null, null);
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);

        Path manifestChanged = exportAndFetch(labToken, labPublicKey, "manifest-changed");
        Path manifest = manifestChanged.resolve("manifest.json");
        Files.writeString(
                manifest, Files.readString(manifest).replaceFirst("\"considered\":(\\d+)", "\"considered\":1$1"));
        ResearcherCli changed = verify(manifestChanged, null, null);
        assertThat(changed.exitCode()).as(changed.toString()).isEqualTo(1);
    }

    @Test
    void onlyAResearcherWithAnIdentity_canStartAnExport_andBadRequestsAreRefused() {
        String body = parameters(labPublicKey, "Patient");
        for (Role role : List.of(Role.EHR, Role.CLINICIAN, Role.AUDITOR, Role.ADMIN)) {
            assertThat(kickOffStatus(token(role), body)).as(role.code()).isEqualTo(403);
        }
        String patient = issuer.mint(new TokenIssuer.TokenRequest(
                Role.PATIENT, "patient-" + run, Duration.ofMinutes(10), "rx-permitorg-" + run, null));
        assertThat(kickOffStatus(patient, body)).as("patient").isEqualTo(403);
        String anonymousResearcher =
                issuer.mint(TokenIssuer.TokenRequest.of(Role.RESEARCHER, "nobody", Duration.ofMinutes(10)));
        assertThat(kickOffStatus(anonymousResearcher, body)).isEqualTo(403);
        assertThat(kickOffStatus(null, body)).isEqualTo(401);
        // Bad parameters: 400 with an OperationOutcome, nothing queued.
        assertThat(kickOffStatus(labToken, parameters("not-a-key", "Patient"))).isEqualTo(400);
        assertThat(kickOffStatus(labToken, parameters(labPublicKey, "AuditEvent")))
                .isEqualTo(400);
        assertThat(kickOffStatus(labToken, parameters(labPublicKey, "NoSuchType")))
                .isEqualTo(400);
        HttpResponse<String> sync = http(
                "POST", "/$research-export", "application/fhir+json", body.getBytes(StandardCharsets.UTF_8), labToken);
        assertThat(sync.statusCode()).isEqualTo(400);
        assertThat(sync.body()).contains("OperationOutcome").contains("respond-async");
        // A purpose other than the token's is refused, not used.
        String marketing = body.replace("]}", ",{\"name\":\"purpose\",\"valueString\":\"HMARKT\"}]}");
        assertThat(kickOffStatus(labToken, marketing)).isEqualTo(403);
    }

    @Test
    void deletingAnExport_cancelsOrForgetsIt() throws Exception {
        // Cancelled while it runs, or forgotten if it finished first: either way it is gone for its requester.
        String status = kickOff(labToken, labPublicKey, "_type=Patient");
        assertThat(http("DELETE", pathOf(status), null, null, labToken).statusCode())
                .isEqualTo(202);
        assertThat(http("GET", pathOf(status), null, null, labToken).statusCode())
                .isEqualTo(404);
    }

    /**
     * Regression: an export's release decisions are audited about every patient it considered; those
     * records must not make a clinician's or an EHR's {@code $everything} of the same patients fail.
     */
    @Test
    void patientsChartsStillOpen_afterAnExportConsideredThem() throws Exception {
        exportAndFetch(labToken, labPublicKey, "chart-check");
        for (Role role : List.of(Role.EHR, Role.CLINICIAN)) {
            for (String kase : List.of("permitOrg", "deny", "none")) {
                HttpResponse<String> chart =
                        http("GET", "/" + patientRef(kase) + "/$everything", null, null, token(role));
                assertThat(chart.statusCode())
                        .as(role + " " + kase + ": " + chart.body())
                        .isEqualTo(200);
                Bundle bundle = CLIENT_CONTEXT.newJsonParser().parseResource(Bundle.class, chart.body());
                assertThat(bundle.getEntry())
                        .extracting(e -> e.getResource().fhirType())
                        .contains("Patient", "Observation", "MedicationRequest", "Claim")
                        .doesNotContain("AuditEvent");
            }
        }
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private String researcher(String fhirUser, String purpose) {
        return issuer.mint(new TokenIssuer.TokenRequest(
                Role.RESEARCHER, "researcher-" + run, Duration.ofHours(1), null, null, fhirUser, purpose));
    }

    private String newPatient(String kase) {
        String id = "rx-" + kase.toLowerCase() + "-" + run;
        String family = "Fam" + letters();
        String given = "Giv" + letters();
        String mrn = "MRN" + letters();
        String ssn = "9" + ThreadLocalRandom.current().nextInt(10_000_000, 99_999_999);
        String phone = "555-" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
        String email = "x" + letters() + "@example.org";
        String street = ThreadLocalRandom.current().nextInt(100, 999) + " " + letters() + " Street";
        String city = "City" + letters();
        String zip = Integer.toString(ThreadLocalRandom.current().nextInt(10_000, 99_999));
        Patient patient = ClinicalFixtures.patient("urn:fhir-anchor:test:mrn", mrn, family, "1943-07-19");
        patient.getNameFirstRep().getGiven().clear();
        patient.getNameFirstRep().addGiven(given);
        patient.addIdentifier().setSystem("http://hl7.org/fhir/sid/us-ssn").setValue(ssn);
        patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(phone);
        patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue(email);
        patient.addAddress(new Address()
                .addLine(street)
                .setCity(city)
                .setPostalCode(zip)
                .setState("MA")
                .setCountry("US"));
        Narrative text = new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED);
        text.setDiv(new XhtmlNode()
                .setValue("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + family + " " + given + "</div>"));
        patient.setText(text);
        patient.setId(id);
        client.update().resource(patient).execute();
        identifying.addAll(List.of(id, family, given, mrn, ssn, phone, email, street, city, zip, "1943-07-19"));
        return id;
    }

    private String consent(Variant variant, String kase, String researcher) {
        Consent consent = ResearchConsents.of(variant, patientRef(kase), researcher);
        String id = client.create().resource(consent).execute().getId().getIdPart();
        identifying.add(id);
        return id;
    }

    private String patientRef(String kase) {
        return "Patient/rx-" + kase.toLowerCase() + "-" + run;
    }

    private static String letters() {
        StringBuilder letters = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            letters.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
        }
        return letters.toString();
    }

    private String parameters(String publicKey, String types) {
        return "{\"resourceType\":\"Parameters\",\"parameter\":["
                + "{\"name\":\"recipientPublicKey\",\"valueString\":\"" + publicKey + "\"},"
                + "{\"name\":\"_type\",\"valueString\":\"" + types + "\"},"
                + "{\"name\":\"_since\",\"valueInstant\":\"" + seededFrom + "\"}]}";
    }

    private int kickOffStatus(String bearer, String body) {
        HttpResponse<String> response = researchExportKickOff(bearer, body);
        if (response.statusCode() >= 400 && response.statusCode() != 401) {
            assertThat(response.body()).contains("OperationOutcome");
        }
        return response.statusCode();
    }

    /** Starts an export of this test's data (types as a query string such as {@code _type=Patient}); its status URL. */
    private String kickOff(String bearer, String publicKey, String typesQuery) {
        String types = typesQuery.isEmpty() ? String.join(",", TYPES) : typesQuery.substring("_type=".length());
        HttpResponse<String> response = researchExportKickOff(bearer, parameters(publicKey, types));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return response.headers().firstValue("Content-Location").orElseThrow();
    }

    private Path exportAndFetch(String bearer, String publicKey, String name) throws Exception {
        return fetch(kickOff(bearer, publicKey, ""), bearer, name);
    }

    private Path fetch(String statusUrl, String bearer, String name) throws Exception {
        await("the export to complete").atMost(Duration.ofMinutes(3)).until(() -> {
            HttpResponse<String> status = http("GET", pathOf(statusUrl), null, null, bearer);
            assertThat(status.statusCode()).as(status.body()).isIn(200, 202);
            return status.statusCode() == 200;
        });
        Path dir = workDir.resolve(name);
        ResearcherCli fetched = ResearcherCli.run(
                "research-fetch", "--status-url", statusUrl, "--token", bearer, "--dir", dir.toString());
        assertThat(fetched.exitCode()).as(fetched.toString()).isZero();
        return dir;
    }

    private ResearcherCli verify(Path dir, Path key, String out) {
        List<String> args = new ArrayList<>(List.of(
                "research-verify",
                "--dir",
                dir.toString(),
                "--rpc",
                chain.rpcUrl(),
                "--contract",
                chain.ledger().contractAddress()));
        if (key != null) {
            args.addAll(List.of(
                    "--key", key.toString(), "--out", workDir.resolve(out).toString()));
        }
        return ResearcherCli.run(args.toArray(String[]::new));
    }

    private Map<String, List<Resource>> verifyAndDecrypt(Path dir, Path key, String out) throws IOException {
        ResearcherCli result = verify(dir, key, out);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("VERIFIED");
        Map<String, List<Resource>> byType = new HashMap<>();
        try (Stream<Path> files = Files.list(workDir.resolve(out))) {
            for (Path file : files.filter(p -> p.getFileName().toString().matches("[A-Z][A-Za-z]+-\\d+\\.ndjson"))
                    .toList()) {
                for (String line : Files.readAllLines(file)) {
                    Resource resource =
                            (Resource) CLIENT_CONTEXT.newJsonParser().parseResource(line);
                    byType.computeIfAbsent(resource.fhirType(), t -> new ArrayList<>())
                            .add(resource);
                }
            }
        }
        return byType;
    }

    private static String plaintext(Path dir) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                all.append(Files.readString(file));
            }
        }
        return all.toString();
    }

    private Set<String> markersIn(Map<String, List<Resource>> export) {
        Set<String> found = new TreeSet<>();
        for (Resource resource : export.getOrDefault("Observation", List.of())) {
            String value = ((Observation) resource)
                    .getValueQuantity()
                    .getValueElement()
                    .getValueAsString();
            if (markers.containsValue(value)) {
                found.add(value);
            }
        }
        return found;
    }

    private Map<String, String> auditedDecisions(String requester) {
        Bundle events = client.search()
                .byUrl("AuditEvent?subtype=research-release-decision&_count=200&_sort=-_lastUpdated")
                .returnBundle(Bundle.class)
                .execute();
        Map<String, String> decisions = new HashMap<>();
        for (Bundle.BundleEntryComponent entry : events.getEntry()) {
            AuditEvent event = (AuditEvent) entry.getResource();
            if (!requester.equals(
                    event.getAgentFirstRep().getWho().getIdentifier().getValue())) {
                continue;
            }
            for (AuditEvent.AuditEventEntityComponent entity : event.getEntity()) {
                entity.getDetail().stream()
                        .filter(d -> d.getType().equals("decision"))
                        .findFirst()
                        .ifPresent(d -> decisions.putIfAbsent(
                                entity.getWhat().getIdentifier().getValue(),
                                d.getValueStringType().getValue()));
            }
        }
        return decisions;
    }

    private String pathOf(String url) {
        return url.substring(baseUrl().length());
    }
}
