package org.fhiranchor.server.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.server.RestfulServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.fhiranchor.server.anchoring.ChainConnection;
import org.fhiranchor.server.consent.ResearchConsents.Variant;
import org.fhiranchor.server.support.ClinicalFixtures;
import org.fhiranchor.server.support.FhirRestTest;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Consent end to end through REST: every variant's decision in the engine (a research request
 * sees exactly the consenting patients' data, reads, searches and compartment data), revocation
 * on the next request, AuditEvents, bad input, the on-chain record matching every Consent
 * version ($verify), SQL tampering reported, and, after all of them, nothing identifying on the chain. The tests
 * do not depend on each other's order: the seed's patients alone carry the run's tag.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsentEndToEndTest extends FhirRestTest {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    RestfulServer restfulServer;

    @Autowired
    ChainConnection chain;

    @Autowired
    JdbcTemplate jdbc;

    private final TestHeaderRequesterInterceptor headers = new TestHeaderRequesterInterceptor();
    private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final String tag = "urn:fhir-anchor:test:consent|" + run;
    private final String identifierSystem = "urn:fhir-anchor:test:consent-mrn";
    private final String lab = "Organization/lab-" + run;
    private final String otherLab = "Organization/otherlab-" + run;

    /** Patient id per case, and everything identifying about each patient, for the chain scan. */
    private final Map<String, String> patients = new LinkedHashMap<>();

    private final Set<String> identifying = new TreeSet<>();
    /** Consent id per case, and every version each should have on chain. */
    private final Map<String, String> consents = new LinkedHashMap<>();

    private final List<String> consentVersions = new ArrayList<>();
    private boolean seeded;

    @BeforeEach
    void registerHeaderInterceptorAndSeed() {
        restfulServer.registerInterceptor(headers);
        if (!seeded) {
            seed();
            seeded = true;
        }
    }

    @AfterEach
    void unregisterHeaderInterceptor() {
        restfulServer.unregisterInterceptor(headers);
    }

    private void seed() {
        client.update().resource(organization(lab, "Research Lab")).execute();
        client.update().resource(organization(otherLab, "Other Lab")).execute();
        for (String kase :
                List.of("permitOrg", "permitAny", "deny", "expired", "wrongPurpose", "revoked", "deleted", "none")) {
            String id = seedPatient(kase);
            String ref = "Patient/" + id;
            client.create()
                    .resource(tagged(ClinicalFixtures.observation(ref, "2345-7", "laboratory", "2024-01-01", "95.20")))
                    .execute();
            client.create()
                    .resource(tagged(
                            ClinicalFixtures.medicationRequest(ref, MedicationRequest.MedicationRequestStatus.ACTIVE)))
                    .execute();
            client.create().resource(tagged(claim(ref))).execute();
        }
        consents.put("permitOrg", createConsent(Variant.PERMIT_ORGANIZATION, "permitOrg"));
        consents.put("permitAny", createConsent(Variant.PERMIT_ANY_RESEARCHER, "permitAny"));
        consents.put("deny", createConsent(Variant.DENY, "deny"));
        consents.put("expired", createConsent(Variant.EXPIRED_PERIOD, "expired"));
        consents.put("wrongPurpose", createConsent(Variant.WRONG_PURPOSE, "wrongPurpose"));
        String revoked = createConsent(Variant.PERMIT_ORGANIZATION, "revoked");
        consents.put("revoked", revoked);
        Consent current = client.read().resource(Consent.class).withId(revoked).execute();
        current.setStatus(Consent.ConsentState.INACTIVE);
        client.update().resource(current).execute();
        consentVersions.add("Consent/" + revoked + "/_history/2");
        String deleted = createConsent(Variant.PERMIT_ORGANIZATION, "deleted");
        consents.put("deleted", deleted);
        client.delete().resourceById(new IdType("Consent", deleted)).execute();
        consentVersions.add("Consent/" + deleted + "/_history/2");
    }

    @Test
    void researchRequest_seesExactlyTheConsentingPatientsData() {
        Set<String> expectedForLab = Set.of(patients.get("permitOrg"), patients.get("permitAny"));
        for (String type : List.of("Patient", "Observation", "MedicationRequest", "Claim")) {
            assertThat(patientsIn(research(lab, "HRESCH", "/" + type + "?_tag=" + tag + "&_count=100")))
                    .as(type + " for the lab")
                    .isEqualTo(expectedForLab);
            assertThat(patientsIn(research(otherLab, "HRESCH", "/" + type + "?_tag=" + tag + "&_count=100")))
                    .as(type + " for another lab")
                    .containsExactly(patients.get("permitAny"));
            assertThat(patientsIn(research(lab, "HMARKT", "/" + type + "?_tag=" + tag + "&_count=100")))
                    .as(type + " for marketing")
                    .isEmpty();
            // Ordinary (clinical) requests are not filtered by this engine, and still count.
            assertThat(patientsIn(bundle(get(("/" + type + "?_tag=" + tag + "&_count=100").replace("|", "%7C")))))
                    .hasSize(8);
            assertThat(count(type + "?_tag=" + tag)).isEqualTo(8);
        }
        // Reads: the consenting patient's data leaves, the others' does not.
        assertThat(researchGet(lab, "HRESCH", "/Patient/" + patients.get("permitOrg"))
                        .statusCode())
                .isEqualTo(200);
        for (String kase : List.of("deny", "expired", "wrongPurpose", "revoked", "deleted", "none")) {
            HttpResponse<String> read = researchGet(lab, "HRESCH", "/Patient/" + patients.get(kase));
            assertThat(read.statusCode()).as(kase).isIn(403, 404);
            assertThat(read.body()).doesNotContain(patients.get(kase) + "\"");
        }
        // Compartment reads and $everything-like searches filter the same way.
        assertThat(patientsIn(research(lab, "HRESCH", "/Observation?subject=Patient/" + patients.get("deny"))))
                .isEmpty();
        assertThat(patientsIn(research(lab, "HRESCH", "/Observation?subject=Patient/" + patients.get("permitOrg"))))
                .containsExactly(patients.get("permitOrg"));
        // _include cannot smuggle a non-consenting patient in.
        assertThat(patientsIn(research(
                        lab, "HRESCH", "/Observation?_tag=" + tag + "&_include=Observation:subject&_count=100")))
                .isEqualTo(expectedForLab);
        // A research request may not count what it cannot see.
        assertThat(researchGet(lab, "HRESCH", "/Patient?_tag=" + tag + "&_summary=count")
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void everyResearchRequest_isAuditedOnce_withTheDecisionPerPatient() throws Exception {
        // Let the AuditEvents of earlier requests land first (none for a second and a half), so that only this
        // request's counts.
        await("the earlier AuditEvents landed")
                .atMost(Duration.ofSeconds(120))
                .until(() -> auditEventsSince(Instant.now().minusMillis(1500)).isEmpty());
        Instant before = Instant.now();
        research(lab, "HRESCH", "/Observation?_tag=" + tag + "&_count=100");
        await("the AuditEvent")
                .atMost(Duration.ofSeconds(120))
                .until(() -> !auditEventsSince(before).isEmpty());
        // ... and give a second one, if the request wrote two, the time to land.
        await("no second AuditEvent")
                .during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(120))
                .until(() -> auditEventsSince(before).size() == 1);
        List<AuditEvent> events = auditEventsSince(before);
        assertThat(events).hasSize(1);
        AuditEvent event = events.get(0);
        assertThat(event.getAgentFirstRep().getWho().getIdentifier().getValue()).isEqualTo(lab);
        assertThat(event.getPurposeOfEventFirstRep().getCodingFirstRep().getCode())
                .isEqualTo("HRESCH");
        Map<String, String> decisions = event.getEntity().stream()
                .collect(Collectors.toMap(
                        e -> e.getWhat().getIdentifier().getValue(),
                        e -> e.getDetail().stream()
                                .filter(d -> d.getType().equals("decision"))
                                .findFirst()
                                .orElseThrow()
                                .getValueStringType()
                                .getValue()));
        assertThat(decisions)
                .containsEntry("Patient/" + patients.get("permitOrg"), "permit")
                .containsEntry("Patient/" + patients.get("permitAny"), "permit")
                .containsEntry("Patient/" + patients.get("deny"), "deny")
                .containsEntry("Patient/" + patients.get("expired"), "no-consent")
                .containsEntry("Patient/" + patients.get("none"), "no-consent")
                .hasSize(8);
        // No PHI beyond references: none of the patients' names or identifiers.
        String encoded = CLIENT_CONTEXT.newJsonParser().encodeResourceToString(event);
        identifying.stream()
                .filter(s -> !patients.containsValue(s))
                .forEach(s -> assertThat(encoded).doesNotContain(s));
        // And the AuditEvent is itself a logged version.
        assertThat(get("/AuditEvent/" + event.getIdElement().getIdPart() + "/_history/1/$verify")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void revocation_takesEffectOnTheVeryNextRequest() {
        String id = newPatient("revokeNow");
        String consentId = createConsent(Variant.PERMIT_ORGANIZATION, "revokeNow");
        assertThat(researchGet(lab, "HRESCH", "/Patient/" + id).statusCode()).isEqualTo(200);

        Consent consent =
                client.read().resource(Consent.class).withId(consentId).execute();
        consent.setStatus(Consent.ConsentState.REJECTED);
        client.update().resource(consent).execute();
        consentVersions.add("Consent/" + consentId + "/_history/2");
        assertThat(researchGet(lab, "HRESCH", "/Patient/" + id).statusCode()).isIn(403, 404);

        consent = client.read().resource(Consent.class).withId(consentId).execute();
        consent.setStatus(Consent.ConsentState.ACTIVE);
        client.update().resource(consent).execute();
        consentVersions.add("Consent/" + consentId + "/_history/3");
        assertThat(researchGet(lab, "HRESCH", "/Patient/" + id).statusCode()).isEqualTo(200);

        client.delete().resourceById(new IdType("Consent", consentId)).execute();
        consentVersions.add("Consent/" + consentId + "/_history/4");
        assertThat(researchGet(lab, "HRESCH", "/Patient/" + id).statusCode()).isIn(403, 404);
    }

    @Test
    void badInput_isRefusedWith422_andNothingIsStoredOrQueued() {
        Long queued = jdbc.queryForObject("SELECT COUNT(*) FROM anchor_consent_decision", Long.class);
        String ref = "Patient/" + patients.get("none");

        Consent noPatient = ResearchConsents.of(Variant.PERMIT_ORGANIZATION, ref, lab);
        noPatient.setPatient(null);
        Consent unknownPolicy = ResearchConsents.of(Variant.PERMIT_ORGANIZATION, ref, lab);
        unknownPolicy.getPolicyRule().getCodingFirstRep().setCode("MADE-UP");
        Consent unknownUri = ResearchConsents.of(Variant.PERMIT_ORGANIZATION, ref, lab);
        unknownUri.addPolicy().setUri("https://example.org/not-a-policy-we-know");
        Consent backwards = ResearchConsents.of(Variant.PERMIT_ORGANIZATION, ref, lab);
        backwards
                .getProvision()
                .setPeriod(new Period()
                        .setStartElement(new DateTimeType("2030-01-01"))
                        .setEndElement(new DateTimeType("2029-01-01")));
        for (Consent bad : List.of(noPatient, unknownPolicy, unknownUri, backwards)) {
            bad.addIdentifier().setSystem("urn:fhir-anchor:test:bad-consent").setValue(run);
            String body = CLIENT_CONTEXT.newJsonParser().encodeResourceToString(bad);
            HttpResponse<String> response =
                    http("POST", "/Consent", "application/fhir+json", body.getBytes(StandardCharsets.UTF_8));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
            assertThat(response.body()).contains("OperationOutcome");

            // The same inside a transaction: the whole transaction is refused.
            Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            tx.addEntry()
                    .setResource(tagged(ClinicalFixtures.organization("Tx " + run)))
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Organization");
            tx.addEntry()
                    .setResource(bad)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Consent");
            HttpResponse<String> txResponse = http(
                    "POST",
                    "",
                    "application/fhir+json",
                    CLIENT_CONTEXT.newJsonParser().encodeResourceToString(tx).getBytes(StandardCharsets.UTF_8));
            assertThat(txResponse.statusCode()).as(txResponse.body()).isBetween(400, 499);
        }
        assertThat(count("Consent?identifier=urn:fhir-anchor:test:bad-consent|" + run))
                .isZero();
        assertThat(count("Organization?_tag=" + tag)).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM anchor_consent_decision", Long.class))
                .isEqualTo(queued);
    }

    @Test
    void onChainRecord_matchesTheConsent_forEveryVersionOfEveryVariant() throws Exception {
        List<String> all = new ArrayList<>(consentVersions);
        consents.values().forEach(id -> all.add("Consent/" + id + "/_history/1"));
        for (String version : all) {
            await("decision of " + version + " on chain")
                    .atMost(Duration.ofSeconds(120))
                    .until(() -> matches(version));
        }
        Parameters.ParametersParameterComponent revoked =
                consentPart(verify("Consent/" + consents.get("revoked") + "/_history/2"));
        assertThat(value(sub(revoked, "onChain"), "status")).isEqualTo("inactive");
        Parameters.ParametersParameterComponent deleted =
                consentPart(verify("Consent/" + consents.get("deleted") + "/_history/2"));
        assertThat(value(sub(deleted, "onChain"), "status")).isEqualTo("inactive");
        assertThat(value(deleted, "decision")).contains("\"deleted\":true");
        Parameters.ParametersParameterComponent deny =
                consentPart(verify("Consent/" + consents.get("deny") + "/_history/1"));
        assertThat(value(sub(deny, "onChain"), "permit")).isEqualTo("false");

        // The auditor's check without the HMAC secret: the record from $verify against the contract.
        try (org.fhiranchor.anchor.chain.LedgerReader reader = org.fhiranchor.anchor.chain.Web3jLedger.readOnly(
                org.fhiranchor.anchor.chain.LedgerSettings.forUrl(chain.rpcUrl()),
                chain.ledger().contractAddress())) {
            assertThat(org.fhiranchor.anchor.verifier.ConsentDecisionCheck.check(
                                    value(deleted, "decision").getBytes(StandardCharsets.UTF_8), reader)
                            .outcome())
                    .isEqualTo(org.fhiranchor.anchor.verifier.ConsentDecisionCheck.Outcome.MATCHES);
            String firstOfRevoked =
                    value(consentPart(verify("Consent/" + consents.get("revoked") + "/_history/1")), "decision");
            assertThat(org.fhiranchor.anchor.verifier.ConsentDecisionCheck.check(
                                    firstOfRevoked.getBytes(StandardCharsets.UTF_8), reader)
                            .outcome())
                    .isEqualTo(org.fhiranchor.anchor.verifier.ConsentDecisionCheck.Outcome.SUPERSEDED);
            String forged = value(deny, "decision").replace("\"permit\":false", "\"permit\":true");
            assertThat(org.fhiranchor.anchor.verifier.ConsentDecisionCheck.check(
                                    forged.getBytes(StandardCharsets.UTF_8), reader)
                            .outcome())
                    .isEqualTo(org.fhiranchor.anchor.verifier.ConsentDecisionCheck.Outcome.HASH_MISMATCH);
        }
    }

    @Test
    void consentChangedByDirectSql_isReportedAsNotMatching() throws Exception {
        newPatient("tampered");
        String id = createConsent(Variant.PERMIT_ORGANIZATION, "tampered");
        String version = "Consent/" + id + "/_history/1";
        await("decision on chain").atMost(Duration.ofSeconds(120)).until(() -> matches(version));
        String update =
                "UPDATE HFJ_RES_VER SET RES_TEXT_VC = REPLACE(RES_TEXT_VC, ?, ?) WHERE RES_VER = 1 AND RES_ID = "
                        + "(SELECT RES_ID FROM HFJ_RESOURCE WHERE FHIR_ID = ? AND RES_TYPE = 'Consent')";
        assertThat(jdbc.update(update, "\"HRESCH\"", "\"HMARKT\"", id)).isEqualTo(1);
        try {
            Parameters.ParametersParameterComponent part = consentPart(verify(version));
            assertThat(value(part, "matches")).isEqualTo("false");
            assertThat(value(part, "decisionHash")).isNotEqualTo(value(sub(part, "onChain"), "decisionHash"));
        } finally {
            // Put it back: other tests in this server sweep every stored version.
            jdbc.update(update, "\"HMARKT\"", "\"HRESCH\"", id);
        }
        assertThat(matches(version)).isTrue();
    }

    @Test
    void samples_loadAndGiveTheDocumentedView() throws Exception {
        Path samples = samplesDir();
        List<Path> bundles = new ArrayList<>();
        try (Stream<Path> files = Files.list(samples.resolve("patients"))) {
            bundles.addAll(
                    files.filter(f -> f.toString().endsWith(".json")).sorted().toList());
        }
        try (Stream<Path> files = Files.list(samples.resolve("consents"))) {
            bundles.addAll(
                    files.filter(f -> f.toString().endsWith(".json")).sorted().toList());
        }
        for (Path file : bundles) {
            HttpResponse<String> response = http("POST", "", "application/fhir+json", Files.readAllBytes(file));
            assertThat(response.statusCode()).as(file + ": " + response.body()).isEqualTo(200);
            if (file.getParent().endsWith("patients")) {
                Bundle bundle = CLIENT_CONTEXT.newJsonParser().parseResource(Bundle.class, Files.readString(file));
                bundle.getEntry().stream()
                        .map(Bundle.BundleEntryComponent::getResource)
                        .filter(Patient.class::isInstance)
                        .map(Patient.class::cast)
                        .forEach(p -> {
                            identifying.add(p.getIdElement().getIdPart());
                            p.getName().forEach(n -> {
                                identifying.add(n.getFamily());
                                n.getGiven().forEach(g -> identifying.add(g.getValue()));
                            });
                            p.getIdentifier().forEach(i -> identifying.add(i.getValue()));
                        });
            }
        }
        String query = "/Patient?_id=sample-ada,sample-bruno,sample-chen";
        assertThat(patientsIn(research("Organization/sample-research-institute", "HRESCH", query)))
                .containsExactlyInAnyOrder("sample-ada", "sample-bruno");
        assertThat(patientsIn(research("Organization/sample-other-lab", "HRESCH", query)))
                .containsExactly("sample-bruno");
        assertThat(patientsIn(research(
                        "Organization/sample-research-institute",
                        "HRESCH",
                        "/Observation?subject=Patient/sample-chen")))
                .isEmpty();
        for (String version : List.of(
                "Consent/sample-ada-research-institute/_history/1",
                "Consent/sample-ada-research-withdrawn/_history/2",
                "Consent/sample-chen-research-deny/_history/1")) {
            await("decision of " + version + " on chain")
                    .atMost(Duration.ofSeconds(120))
                    .until(() -> matches(version));
        }
    }

    @Test
    void consentInATransaction_withThePatientCreatedAlongside_isRecordedWithTheRealPatient() throws Exception {
        String family = "Fam" + randomLetters(10);
        String mrn = "MRN" + randomLetters(12);
        identifying.addAll(List.of(family, mrn));
        Patient patient = ClinicalFixtures.patient(identifierSystem, mrn, family, "1980-08-08");
        String patientUuid = "urn:uuid:" + UUID.randomUUID();
        Consent consent = ResearchConsents.of(Variant.PERMIT_ORGANIZATION, patientUuid, lab);
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        tx.addEntry()
                .setFullUrl(patientUuid)
                .setResource(patient)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        tx.addEntry()
                .setResource(consent)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Consent");
        Bundle response = client.transaction().withBundle(tx).execute();
        String patientId = new IdType(response.getEntry().get(0).getResponse().getLocation()).getIdPart();
        String consentId = new IdType(response.getEntry().get(1).getResponse().getLocation()).getIdPart();
        identifying.add(patientId);
        String version = "Consent/" + consentId + "/_history/1";
        consentVersions.add(version);
        assertThat(researchGet(lab, "HRESCH", "/Patient/" + patientId).statusCode())
                .isEqualTo(200);
        await("decision of " + version + " on chain")
                .atMost(Duration.ofSeconds(120))
                .until(() -> matches(version));
        assertThat(value(consentPart(verify(version)), "decision"))
                .contains("\"patient\":\"Patient/" + patientId + "\"");
    }

    private static Path samplesDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("samples").resolve("consents"))) {
                return p.resolve("samples");
            }
        }
        throw new IllegalStateException(
                "samples/consents not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * After every test of the class, whatever order they ran in (and so over every patient and consent they wrote):
     * nothing identifying is on the chain. A failure here fails the class.
     */
    @AfterAll
    void nothingIdentifyingReachesTheChain() throws Exception {
        if (!seeded) {
            return; // no test of the class ran (filtered out): nothing was written
        }
        for (String version : consentVersions) {
            await("decision of " + version + " on chain")
                    .atMost(Duration.ofSeconds(120))
                    .until(() -> matches(version));
        }
        StringBuilder haystack = new StringBuilder();
        long latest = Long.decode(rpc("eth_blockNumber").asText());
        int transactions = 0;
        for (long block = 0; block <= latest; block++) {
            JsonNode b = rpc("eth_getBlockByNumber", "0x" + Long.toHexString(block), true);
            for (JsonNode tx : b.path("transactions")) {
                haystack.append(tx.path("input").asText()).append('\n');
                // Every storage write the transaction made (post-state of the slots it changed).
                haystack.append(rpc(
                                        "debug_traceTransaction",
                                        tx.path("hash").asText(),
                                        Map.of("tracer", "prestateTracer", "tracerConfig", Map.of("diffMode", true)))
                                .toString())
                        .append('\n');
                transactions++;
            }
        }
        haystack.append(rpc("eth_getLogs", Map.of("fromBlock", "0x0", "toBlock", "latest"))
                .toString());
        assertThat(transactions).isGreaterThanOrEqualTo(consentVersions.size());
        String everything = haystack.toString().toLowerCase();
        assertThat(everything).contains(consentsRecordedTopic());
        assertThat(identifying).hasSizeGreaterThan(20);
        for (String needle : identifying) {
            // Short needles made only of hex letters ("Ada") would match random hashes by chance:
            // plain text only where a non-hex character makes a match meaningful, hex from 5 bytes.
            if (!needle.toLowerCase().matches("[0-9a-fx]*")) {
                assertThat(everything).as("plain " + needle).doesNotContain(needle.toLowerCase());
            }
            if (needle.length() >= 5) {
                assertThat(everything)
                        .as("hex of " + needle)
                        .doesNotContain(HexFormat.of().formatHex(needle.getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** A patient of the seed: carries the run's tag, which the searches of the research tests select on. */
    private String seedPatient(String kase) {
        return newPatient(kase, true);
    }

    /** A patient of one test: not tagged, so that it changes no other test's search, whatever the order. */
    private String newPatient(String kase) {
        return newPatient(kase, false);
    }

    private String newPatient(String kase, boolean seed) {
        String id = "cx-" + kase.toLowerCase() + "-" + run;
        String family = "Fam" + randomLetters(10);
        String given = "Giv" + randomLetters(10);
        String mrn = "MRN" + randomLetters(12);
        Patient patient = ClinicalFixtures.patient(identifierSystem, mrn, family, "1971-03-04");
        patient.getNameFirstRep().getGiven().clear();
        patient.getNameFirstRep().addGiven(given);
        patient.setId(id);
        client.update().resource(seed ? tagged(patient) : patient).execute();
        patients.put(kase, id);
        identifying.addAll(List.of(id, family, given, mrn));
        return id;
    }

    private String createConsent(Variant variant, String kase) {
        Consent consent = ResearchConsents.of(variant, "Patient/" + patients.get(kase), lab);
        String id = client.create().resource(consent).execute().getId().getIdPart();
        consentVersions.add("Consent/" + id + "/_history/1");
        return id;
    }

    private <T extends Resource> T tagged(T resource) {
        String[] parts = tag.split("\\|");
        resource.getMeta().addTag(parts[0], parts[1], null);
        return resource;
    }

    private static Organization organization(String ref, String name) {
        Organization organization = ClinicalFixtures.organization(name);
        organization.setId(ref);
        return organization;
    }

    private static Claim claim(String patientRef) {
        Claim claim = new Claim();
        claim.setStatus(Claim.ClaimStatus.ACTIVE);
        claim.setUse(Claim.Use.CLAIM);
        claim.setType(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/claim-type", "professional", null)));
        claim.setPatient(new Reference(patientRef));
        claim.setCreatedElement(new DateTimeType("2024-02-02"));
        return claim;
    }

    private static String randomLetters(int n) {
        StringBuilder sb = new StringBuilder();
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + random.nextInt(26)));
        }
        return sb.toString();
    }

    private Bundle research(String requester, String purpose, String path) {
        HttpResponse<String> response = researchGet(requester, purpose, path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return CLIENT_CONTEXT.newJsonParser().parseResource(Bundle.class, response.body());
    }

    private Bundle bundle(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return CLIENT_CONTEXT.newJsonParser().parseResource(Bundle.class, response.body());
    }

    private HttpResponse<String> researchGet(String requester, String purpose, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path.replace("|", "%7C")))
                .timeout(Duration.ofMinutes(2))
                .header("Accept", "application/fhir+json")
                // Authenticated like any client (the base class's token); the research identity
                // comes from the test-only headers until the token carries it.
                .header("Authorization", "Bearer " + token)
                .header(TestHeaderRequesterInterceptor.REQUESTER_HEADER, requester)
                .header(TestHeaderRequesterInterceptor.PURPOSE_HEADER, purpose)
                .GET()
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The ids of the patients whose data a Bundle holds. */
    private Set<String> patientsIn(Bundle bundle) {
        Set<String> ids = new TreeSet<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Resource r = entry.getResource();
            if (r instanceof Patient p) {
                ids.add(p.getIdElement().getIdPart());
            } else if (r instanceof org.hl7.fhir.r4.model.Observation o) {
                ids.add(new IdType(o.getSubject().getReference()).getIdPart());
            } else if (r instanceof MedicationRequest m) {
                ids.add(new IdType(m.getSubject().getReference()).getIdPart());
            } else if (r instanceof Claim c) {
                ids.add(new IdType(c.getPatient().getReference()).getIdPart());
            }
        }
        return ids;
    }

    private List<AuditEvent> auditEventsSince(Instant since) {
        Bundle found = bundle(get("/AuditEvent?subtype=" + ResearchAuditWriter.SUBTYPE_SYSTEM + "%7C"
                + ResearchAuditWriter.SUBTYPE_CODE + "&_lastUpdated=gt" + since + "&_count=100"));
        return found.getEntry().stream()
                .map(e -> (AuditEvent) e.getResource())
                .filter(e ->
                        e.getAgentFirstRep().getWho().getIdentifier().getValue().equals(lab))
                .toList();
    }

    private Parameters verify(String version) {
        HttpResponse<String> response = get("/" + version + "/$verify");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return CLIENT_CONTEXT.newJsonParser().parseResource(Parameters.class, response.body());
    }

    private boolean matches(String version) {
        return "true".equals(value(consentPart(verify(version)), "matches"));
    }

    private static Parameters.ParametersParameterComponent consentPart(Parameters parameters) {
        return parameters.getParameter().stream()
                .filter(p -> p.getName().equals("consentDecision"))
                .findFirst()
                .orElseThrow();
    }

    private static Parameters.ParametersParameterComponent sub(
            Parameters.ParametersParameterComponent parent, String name) {
        return parent.getPart().stream()
                .filter(p -> p.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no part " + name));
    }

    private static String value(Parameters.ParametersParameterComponent parent, String name) {
        return sub(parent, name).getValue().primitiveValue();
    }

    private static String consentsRecordedTopic() {
        return org.web3j.abi.EventEncoder.encode(
                        org.fhiranchor.anchor.chain.generated.FhirAnchor.CONSENTDECISIONRECORDED_EVENT)
                .substring(2)
                .toLowerCase();
    }

    private JsonNode rpc(String method, Object... params) throws IOException, InterruptedException {
        String body =
                JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", 1, "method", method, "params", List.of(params)));
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(chain.rpcUrl()))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode node = JSON.readTree(response.body());
        assertThat(node.has("error")).as(method + ": " + response.body()).isFalse();
        return node.get("result");
    }
}
