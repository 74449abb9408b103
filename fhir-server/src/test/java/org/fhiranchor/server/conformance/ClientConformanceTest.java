package org.fhiranchor.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.api.SoftAssertions;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.PatchTypeEnum;
import ca.uhn.fhir.rest.api.SummaryEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.fhiranchor.anchor.verifier.VerifierCli;
import org.fhiranchor.server.security.Role;
import org.fhiranchor.server.security.TokenIssuer;
import org.fhiranchor.server.support.Await;
import org.fhiranchor.server.support.ClinicalFixtures;
import org.fhiranchor.server.support.FhirRestTest;
import org.fhiranchor.server.support.TestDataDirectory;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

/**
 * Real FHIR clients work unchanged, for every role: HAPI's generic client (Java) and fhir-kit-client (npm, run
 * by node) walk the same interactions, and each outcome must be the one in {@link #EXPECTED} (docs/security.md,
 * "Client conformance"), before and after a research export considered the patient. A role added later is one
 * row of the table.
 */
class ClientConformanceTest extends FhirRestTest {

    enum Interaction {
        READ, VREAD, HISTORY, UPDATE, CONDITIONAL_CREATE, CONDITIONAL_UPDATE, JSON_PATCH, FHIRPATH_PATCH, DELETE,
        SEARCH_INCLUDE, SEARCH_REVINCLUDE, SEARCH_CHAINED, SEARCH_PAGING, EVERYTHING_INSTANCE, EVERYTHING_TYPE, BATCH,
        TRANSACTION, FORMAT_PRETTY, SUMMARY, ELEMENTS
    }

    private static final String OK = "200";
    private static final String CREATED = "201";
    private static final String REFUSED = "403";
    private static final String NO_TOKEN = "401";

    /** Reads, searches and $everything allowed; writes refused (a clinician). */
    private static final Map<Interaction, String> READER = outcomes(OK, REFUSED, OK, OK, "200/200", REFUSED);
    /** Everything allowed (an EHR, an admin). */
    private static final Map<Interaction, String> WRITER = outcomes(OK, OK, OK, OK, "200/200", OK);

    /** The expected outcome of each interaction, per caller (a role, or no token at all). */
    static final Map<String, Map<Interaction, String>> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("ehr", WRITER);
        EXPECTED.put("clinician", READER);
        // Its own compartment only: a chained search that does not name it, and $everything (no operation scope), are refused.
        Map<Interaction, String> patient = outcomes(OK, REFUSED, OK, REFUSED, "200/200", REFUSED);
        patient.put(Interaction.SEARCH_CHAINED, REFUSED);
        EXPECTED.put("patient", patient);
        EXPECTED.put("auditor", outcomes(REFUSED, REFUSED, REFUSED, REFUSED, "200/403", REFUSED));
        EXPECTED.put("researcher", outcomes(REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED));
        EXPECTED.put("admin", WRITER);
        EXPECTED.put("none", outcomes(NO_TOKEN, NO_TOKEN, NO_TOKEN, NO_TOKEN, NO_TOKEN, NO_TOKEN));
    }

    private static Map<Interaction, String> outcomes(String reads, String writes, String searches, String everything,
            String batch, String transaction) {
        Map<Interaction, String> row = new EnumMap<>(Interaction.class);
        for (Interaction i : List.of(Interaction.READ, Interaction.VREAD, Interaction.HISTORY, Interaction.FORMAT_PRETTY,
                Interaction.SUMMARY)) {
            row.put(i, reads);
        }
        for (Interaction i : List.of(Interaction.UPDATE, Interaction.JSON_PATCH, Interaction.FHIRPATH_PATCH,
                Interaction.DELETE)) {
            row.put(i, writes);
        }
        String creates = writes.equals(OK) ? CREATED : writes;
        row.put(Interaction.CONDITIONAL_CREATE, creates);
        row.put(Interaction.CONDITIONAL_UPDATE, creates);
        for (Interaction i : List.of(Interaction.SEARCH_INCLUDE, Interaction.SEARCH_REVINCLUDE, Interaction.SEARCH_CHAINED,
                Interaction.SEARCH_PAGING, Interaction.ELEMENTS)) {
            row.put(i, searches);
        }
        row.put(Interaction.EVERYTHING_INSTANCE, everything);
        row.put(Interaction.EVERYTHING_TYPE, everything);
        row.put(Interaction.BATCH, batch);
        row.put(Interaction.TRANSACTION, transaction);
        return row;
    }

    /** What one caller works on: a patient of its own, an Observation to change and one to delete. */
    record Fixture(String caller, String token, String patient, String identifierSystem, String mrn, String writeTarget,
            String deleteTarget, String unique) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyRole_getsTheDocumentedOutcome_fromBothClients_beforeAndAfterAResearchExport() throws Exception {
        walkBothClients("before a research export");
        researchExport();
        walkBothClients("after a research export");
    }

    private void walkBothClients(String when) throws Exception {
        List<Fixture> javaFixtures = new ArrayList<>();
        List<Fixture> nodeFixtures = new ArrayList<>();
        for (String caller : EXPECTED.keySet()) {
            javaFixtures.add(fixture(caller));
            nodeFixtures.add(fixture(caller));
        }
        Map<String, Map<Interaction, String>> java = new LinkedHashMap<>();
        for (Fixture fixture : javaFixtures) {
            java.put(fixture.caller(), walk(fixture));
        }
        Map<String, Map<Interaction, String>> node = runNode(nodeFixtures);
        // Every difference at once: a table is fixed faster when all its wrong cells are shown.
        SoftAssertions softly = new SoftAssertions();
        for (String caller : EXPECTED.keySet()) {
            softly.assertThat(java.get(caller)).as("HAPI generic client, " + caller + ", " + when).isEqualTo(EXPECTED.get(caller));
            softly.assertThat(node.get(caller)).as("fhir-kit-client, " + caller + ", " + when).isEqualTo(EXPECTED.get(caller));
        }
        softly.assertAll();
    }

    private Fixture fixture(String caller) {
        String unique = UUID.randomUUID().toString().replace("-", "");
        String system = "urn:fhir-anchor:test:conformance:" + unique;
        String patient = client.create().resource(ClinicalFixtures.patient(system, "mrn-" + unique, "Conformance", "1980-01-01"))
                .execute().getId().getIdPart();
        String practitioner = client.create().resource(new Practitioner().setActive(true)).execute().getId().getIdPart();
        Observation seen = ClinicalFixtures.observation("Patient/" + patient, "2345-7", "laboratory", "2024-01-02T10:00:00Z", "90");
        seen.addPerformer(new Reference("Practitioner/" + practitioner));
        client.create().resource(seen).execute();
        String write = client.create().resource(ClinicalFixtures.observation("Patient/" + patient, "2345-7", "laboratory",
                "2024-01-03T10:00:00Z", "91")).execute().getId().getIdPart();
        String delete = client.create().resource(ClinicalFixtures.observation("Patient/" + patient, "2345-7", "laboratory",
                "2024-01-04T10:00:00Z", "92")).execute().getId().getIdPart();
        String bearer = switch (caller) {
            case "none" -> null;
            case "patient" -> issuer.mint(new TokenIssuer.TokenRequest(Role.PATIENT, "conformance-patient",
                    Duration.ofMinutes(30), patient, null));
            default -> token(Role.fromCode(caller));
        };
        return new Fixture(caller, bearer, patient, system, "mrn-" + unique, write, delete, unique);
    }

    /** The walk with HAPI's generic client. */
    private Map<Interaction, String> walk(Fixture f) {
        IGenericClient c = clientWith(f.token());
        String patientRef = "Patient/" + f.patient();
        Map<Interaction, String> results = new EnumMap<>(Interaction.class);
        results.put(Interaction.READ, outcome(() -> { c.read().resource(Patient.class).withId(f.patient()).execute(); return OK; }));
        results.put(Interaction.VREAD, outcome(() -> {
            c.read().resource(Patient.class).withIdAndVersion(f.patient(), "1").execute(); return OK; }));
        results.put(Interaction.HISTORY, outcome(() -> {
            c.history().onInstance(patientRef).returnBundle(Bundle.class).execute(); return OK; }));
        results.put(Interaction.UPDATE, outcome(() -> status(c.update().resource(observation(f, "101", null)
                .setId(f.writeTarget())).execute())));
        results.put(Interaction.CONDITIONAL_CREATE, outcome(() -> status(c.create().resource(observation(f, "102", "cc-" + f.unique()))
                .conditionalByUrl("Observation?identifier=" + f.identifierSystem() + "|cc-" + f.unique()).execute())));
        results.put(Interaction.CONDITIONAL_UPDATE, outcome(() -> status(c.update().resource(observation(f, "103", "cu-" + f.unique()))
                .conditionalByUrl("Observation?identifier=" + f.identifierSystem() + "|cu-" + f.unique()).execute())));
        results.put(Interaction.JSON_PATCH, outcome(() -> status(c.patch()
                .withBody("[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"amended\"}]")
                .withId("Observation/" + f.writeTarget()).execute())));
        Parameters fhirPath = new Parameters();
        Parameters.ParametersParameterComponent operation = fhirPath.addParameter().setName("operation");
        operation.addPart().setName("type").setValue(new CodeType("replace"));
        operation.addPart().setName("path").setValue(new StringType("Observation.status"));
        operation.addPart().setName("value").setValue(new CodeType("corrected"));
        results.put(Interaction.FHIRPATH_PATCH, outcome(() -> status(c.patch().withFhirPatch(fhirPath)
                .withId("Observation/" + f.writeTarget()).execute())));
        results.put(Interaction.DELETE, outcome(() -> status(c.delete().resourceById("Observation", f.deleteTarget()).execute())));
        results.put(Interaction.SEARCH_INCLUDE, outcome(() -> search(c, "Observation?patient=" + patientRef
                + "&_include=Observation:performer")));
        results.put(Interaction.SEARCH_REVINCLUDE, outcome(() -> search(c, "Patient?_id=" + f.patient()
                + "&_revinclude=Observation:patient")));
        results.put(Interaction.SEARCH_CHAINED, outcome(() -> search(c, "Observation?subject:Patient.identifier="
                + f.identifierSystem() + "|" + f.mrn())));
        results.put(Interaction.SEARCH_PAGING, outcome(() -> {
            Bundle first = c.search().byUrl("Observation?patient=" + patientRef + "&_count=1").returnBundle(Bundle.class).execute();
            c.loadPage().next(first).execute();
            return OK;
        }));
        results.put(Interaction.EVERYTHING_INSTANCE, outcome(() -> {
            Parameters input = new Parameters();
            input.addParameter("_since", new org.hl7.fhir.r4.model.InstantType("2000-01-01T00:00:00Z"));
            input.addParameter("_type", new StringType("Patient,Observation"));
            Bundle chart = (Bundle) c.operation().onInstance(patientRef).named("$everything").withParameters(input)
                    .useHttpGet().returnResourceType(Bundle.class).execute();
            assertThat(chart.getEntry()).extracting(e -> e.getResource().fhirType()).contains("Patient", "Observation")
                    .doesNotContain("AuditEvent");
            return OK;
        }));
        results.put(Interaction.EVERYTHING_TYPE, outcome(() -> {
            c.operation().onType("Patient").named("$everything").withNoParameters(Parameters.class).useHttpGet()
                    .returnResourceType(Bundle.class).execute();
            return OK;
        }));
        results.put(Interaction.BATCH, outcome(() -> {
            Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
            batch.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl(patientRef);
            Bundle response = c.transaction().withBundle(batch).execute();
            return OK + "/" + response.getEntryFirstRep().getResponse().getStatus().split(" ")[0];
        }));
        results.put(Interaction.TRANSACTION, outcome(() -> {
            Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            transaction.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(observation(f, "104", null))
                    .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
            c.transaction().withBundle(transaction).execute();
            return OK;
        }));
        results.put(Interaction.FORMAT_PRETTY, outcome(() -> {
            c.read().resource(Patient.class).withId(f.patient()).encodedXml().prettyPrint().execute(); return OK; }));
        results.put(Interaction.SUMMARY, outcome(() -> {
            c.read().resource(Patient.class).withId(f.patient()).summaryMode(SummaryEnum.TRUE).execute(); return OK; }));
        results.put(Interaction.ELEMENTS, outcome(() -> {
            c.search().byUrl("Observation?patient=" + patientRef).elementsSubset("status", "subject")
                    .returnBundle(Bundle.class).execute();
            return OK;
        }));
        return results;
    }

    private static Observation observation(Fixture f, String value, String identifier) {
        Observation observation = ClinicalFixtures.observation("Patient/" + f.patient(), "2345-7", "laboratory",
                "2024-01-05T10:00:00Z", value);
        if (identifier != null) {
            observation.addIdentifier(new Identifier().setSystem(f.identifierSystem()).setValue(identifier));
        }
        return observation;
    }

    private static String search(IGenericClient c, String url) {
        c.search().byUrl(url).returnBundle(Bundle.class).execute();
        return OK;
    }

    private static String status(MethodOutcome outcome) {
        return Boolean.TRUE.equals(outcome.getCreated()) ? CREATED : String.valueOf(outcome.getResponseStatusCode());
    }

    private static String outcome(Supplier<String> call) {
        try {
            return call.get();
        } catch (BaseServerResponseException e) {
            return String.valueOf(e.getStatusCode());
        }
    }

    /** The same walk with fhir-kit-client, in node. */
    private Map<String, Map<Interaction, String>> runNode(List<Fixture> fixtures) throws Exception {
        Path script = Path.of("src/test/node/client-conformance.mjs").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder("node", script.toString()).redirectErrorStream(false);
        builder.environment().put("FHIR_BASE", baseUrl());
        builder.environment().put("CONFORMANCE_INPUT", JSON.writeValueAsString(fixtures));
        Process process = builder.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errors = new Thread(() -> {
            try {
                process.getErrorStream().transferTo(err);
            } catch (java.io.IOException ignored) {
                // the exit code tells
            }
        });
        errors.start();
        process.getInputStream().transferTo(out);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        errors.join();
        assertThat(process.exitValue()).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode all = JSON.readTree(out.toByteArray());
        Map<String, Map<Interaction, String>> results = new LinkedHashMap<>();
        all.fields().forEachRemaining(caller -> {
            Map<Interaction, String> row = new EnumMap<>(Interaction.class);
            caller.getValue().fields().forEachRemaining(i -> row.put(Interaction.valueOf(i.getKey()), i.getValue().asText()));
            results.put(caller.getKey(), row);
        });
        return results;
    }

    /** A research export that considers every patient, so that its release decisions name them. */
    private void researchExport() throws Exception {
        Path dir = TestDataDirectory.newSubdirectory("conformance-");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = VerifierCli.run(new String[] {"research-keygen", "--out", dir.resolve("researcher.key").toString()},
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8), System.err, Map.of());
        assertThat(code).isZero();
        String publicKey = out.toString(StandardCharsets.UTF_8).lines().map(String::trim)
                .filter(l -> l.matches("[A-Za-z0-9_-]{43}")).findFirst().orElseThrow();
        String researcher = issuer.mint(new TokenIssuer.TokenRequest(Role.RESEARCHER, "conformance-researcher",
                Duration.ofMinutes(30), null, null, "Organization/conformance-lab", "HRESCH"));
        var kickOff = researchExportKickOff(researcher, "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":"
                + "\"recipientPublicKey\",\"valueString\":\"" + publicKey + "\"}]}");
        assertThat(kickOff.statusCode()).as(kickOff.body()).isEqualTo(202);
        String status = kickOff.headers().firstValue("Content-Location").orElseThrow().substring(baseUrl().length());
        Await.until("the research export", Duration.ofMinutes(10), () -> {
            var poll = http("GET", status, null, null, researcher);
            assertThat(poll.statusCode()).as(poll.body()).isIn(200, 202);
            return poll.statusCode() == 200;
        });
        TestDataDirectory.deleteRecursively(dir);
    }
}
