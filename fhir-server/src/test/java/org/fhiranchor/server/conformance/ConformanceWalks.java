package org.fhiranchor.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.SummaryEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.assertj.core.api.SoftAssertions;
import org.fhiranchor.server.conformance.ConformanceTable.ChartInteraction;
import org.fhiranchor.server.conformance.ConformanceTable.Interaction;
import org.fhiranchor.server.security.EmbeddedIssuer;
import org.fhiranchor.server.security.Role;
import org.fhiranchor.server.security.TokenIssuer;
import org.fhiranchor.server.support.ClinicalFixtures;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * Two FHIR clients nobody on the team wrote walking one server: HAPI's generic client (Java, here) and
 * fhir-kit-client (npm, src/test/node/client-conformance.mjs, run by node). The role walk checks the table
 * {@link ConformanceTable#EXPECTED}; the chart walk checks what clinical readers get of one patient's chart
 * ({@link ConformanceTable#CHART_RELEASED} and the other chart rows). Works against any server of this project
 * whose token issuer is at hand: the shared test server, or a fresh server a restore rebuilt.
 */
public final class ConformanceWalks {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FhirContext CONTEXT = newClientContext();
    private static final String BTG = "BTG";

    /** What one caller works on in the role walk: a patient, an Observation to change and one to delete. */
    record Fixture(
            String caller,
            String token,
            String patient,
            String identifierSystem,
            String chainSystem,
            String mrn,
            String writeTarget,
            String deleteTarget,
            String unique) {}

    /**
     * One caller reading one patient's chart: the patient, an Observation of theirs, an identifier to chain on,
     * and every resource of theirs ({@code Type/id}), which tells "answered with their data" from "left out".
     */
    record ChartFixture(
            String caller,
            String token,
            String patient,
            String observation,
            String identifierSystem,
            String mrn,
            List<String> owned) {

        /** The same chart, one more resource of the patient's in it. */
        ChartFixture owning(String resource) {
            List<String> more = new ArrayList<>(owned);
            more.add(resource);
            return new ChartFixture(caller, token, patient, observation, identifierSystem, mrn, List.copyOf(more));
        }
    }

    private final String baseUrl;
    private final EmbeddedIssuer issuer;
    private final IGenericClient admin;

    public ConformanceWalks(String baseUrl, EmbeddedIssuer issuer) {
        this.baseUrl = baseUrl;
        this.issuer = issuer;
        this.admin = client(token(Role.ADMIN));
    }

    public String token(Role role) {
        return issuer.mint(TokenIssuer.TokenRequest.of(role, "conformance-" + role.code(), Duration.ofMinutes(30)));
    }

    public String patientToken(String patientId) {
        return issuer.mint(new TokenIssuer.TokenRequest(
                Role.PATIENT, "conformance-patient-" + patientId, Duration.ofMinutes(30), patientId, null));
    }

    /** A clinician whose SMART {@code fhirUser} is the given Practitioner reference. */
    public String clinicianToken(String practitionerRef) {
        return issuer.mint(new TokenIssuer.TokenRequest(
                Role.CLINICIAN,
                "conformance-" + practitionerRef.replace('/', '-'),
                Duration.ofMinutes(30),
                null,
                null,
                practitionerRef,
                null));
    }

    /** A FHIR client (HAPI's generic client) sending the given bearer token, or none. */
    public IGenericClient client(String bearerToken) {
        IGenericClient c = CONTEXT.newRestfulGenericClient(baseUrl);
        if (bearerToken != null) {
            c.registerInterceptor(new BearerTokenAuthInterceptor(bearerToken));
        }
        return c;
    }

    // ---------------------------------------------------------------- the role walk

    /**
     * Every caller of the table walks its interactions, each on a fresh patient of its own (or, when
     * {@code patientId} is given, on that existing patient), with HAPI's generic client and, if {@code withNode},
     * with fhir-kit-client too; every cell that differs from {@link ConformanceTable#EXPECTED} is reported at once.
     */
    public void assertRoleTable(String when, boolean withNode, String patientId) throws Exception {
        List<Fixture> javaFixtures = new ArrayList<>();
        List<Fixture> nodeFixtures = new ArrayList<>();
        for (String caller : ConformanceTable.EXPECTED.keySet()) {
            javaFixtures.add(fixture(caller, patientId));
            if (withNode) {
                nodeFixtures.add(fixture(caller, patientId));
            }
        }
        Map<String, Map<Interaction, String>> java = new LinkedHashMap<>();
        for (Fixture fixture : javaFixtures) {
            java.put(fixture.caller(), walk(fixture));
        }
        Map<String, Map<Interaction, String>> node =
                withNode ? runNode("roles", nodeFixtures, Interaction::valueOf) : Map.of();
        SoftAssertions softly = new SoftAssertions();
        for (String caller : ConformanceTable.EXPECTED.keySet()) {
            softly.assertThat(java.get(caller))
                    .as("HAPI generic client, " + caller + ", " + when)
                    .isEqualTo(ConformanceTable.EXPECTED.get(caller));
            if (withNode) {
                softly.assertThat(node.get(caller))
                        .as("fhir-kit-client, " + caller + ", " + when)
                        .isEqualTo(ConformanceTable.EXPECTED.get(caller));
            }
        }
        softly.assertAll();
    }

    private Fixture fixture(String caller, String existingPatient) {
        String unique = UUID.randomUUID().toString().replace("-", "");
        String patient;
        String system;
        String mrn;
        if (existingPatient == null) {
            system = "urn:fhir-anchor:test:conformance:" + unique;
            mrn = "mrn-" + unique;
            patient = admin.create()
                    .resource(ClinicalFixtures.patient(system, mrn, "Conformance", "1980-01-01"))
                    .execute()
                    .getId()
                    .getIdPart();
        } else {
            Identifier identifier = admin.read()
                    .resource(Patient.class)
                    .withId(existingPatient)
                    .execute()
                    .getIdentifierFirstRep();
            patient = existingPatient;
            system = identifier.getSystem();
            mrn = identifier.getValue();
        }
        String practitioner = admin.create()
                .resource(new Practitioner().setActive(true))
                .execute()
                .getId()
                .getIdPart();
        Observation seen = ClinicalFixtures.observation(
                "Patient/" + patient, "2345-7", "laboratory", "2024-01-02T10:00:00Z", "90");
        seen.addPerformer(new Reference("Practitioner/" + practitioner));
        admin.create().resource(seen).execute();
        String write = admin.create()
                .resource(ClinicalFixtures.observation(
                        "Patient/" + patient, "2345-7", "laboratory", "2024-01-03T10:00:00Z", "91"))
                .execute()
                .getId()
                .getIdPart();
        String delete = admin.create()
                .resource(ClinicalFixtures.observation(
                        "Patient/" + patient, "2345-7", "laboratory", "2024-01-04T10:00:00Z", "92"))
                .execute()
                .getId()
                .getIdPart();
        String bearer = switch (caller) {
            case "none" -> null;
            case "patient" -> patientToken(patient);
            default -> token(Role.fromCode(caller));
        };
        // Conditional writes use an identifier system of the fixture's own; the chained search the patient's
        // identifier.
        return new Fixture(
                caller,
                bearer,
                patient,
                "urn:fhir-anchor:test:conformance:" + unique,
                system,
                mrn,
                write,
                delete,
                unique);
    }

    /** The role walk with HAPI's generic client. */
    private Map<Interaction, String> walk(Fixture f) {
        IGenericClient c = client(f.token());
        String patientRef = "Patient/" + f.patient();
        Map<Interaction, String> results = new EnumMap<>(Interaction.class);
        results.put(Interaction.READ, outcome(() -> {
            c.read().resource(Patient.class).withId(f.patient()).execute();
            return OK;
        }));
        results.put(Interaction.VREAD, outcome(() -> {
            c.read().resource(Patient.class).withIdAndVersion(f.patient(), "1").execute();
            return OK;
        }));
        results.put(Interaction.HISTORY, outcome(() -> {
            c.history().onInstance(patientRef).returnBundle(Bundle.class).execute();
            return OK;
        }));
        results.put(
                Interaction.UPDATE,
                outcome(() -> status(c.update()
                        .resource(observation(f, "101", null).setId(f.writeTarget()))
                        .execute())));
        results.put(
                Interaction.CONDITIONAL_CREATE,
                outcome(() -> status(c.create()
                        .resource(observation(f, "102", "cc-" + f.unique()))
                        .conditionalByUrl("Observation?identifier=" + f.identifierSystem() + "|cc-" + f.unique())
                        .execute())));
        results.put(
                Interaction.CONDITIONAL_UPDATE,
                outcome(() -> status(c.update()
                        .resource(observation(f, "103", "cu-" + f.unique()))
                        .conditionalByUrl("Observation?identifier=" + f.identifierSystem() + "|cu-" + f.unique())
                        .execute())));
        results.put(
                Interaction.JSON_PATCH,
                outcome(() -> status(c.patch()
                        .withBody("[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"amended\"}]")
                        .withId("Observation/" + f.writeTarget())
                        .execute())));
        Parameters fhirPath = new Parameters();
        Parameters.ParametersParameterComponent operation =
                fhirPath.addParameter().setName("operation");
        operation.addPart().setName("type").setValue(new CodeType("replace"));
        operation.addPart().setName("path").setValue(new StringType("Observation.status"));
        operation.addPart().setName("value").setValue(new CodeType("corrected"));
        results.put(
                Interaction.FHIRPATH_PATCH,
                outcome(() -> status(c.patch()
                        .withFhirPatch(fhirPath)
                        .withId("Observation/" + f.writeTarget())
                        .execute())));
        results.put(
                Interaction.DELETE,
                outcome(() -> status(
                        c.delete().resourceById("Observation", f.deleteTarget()).execute())));
        results.put(
                Interaction.SEARCH_INCLUDE,
                outcome(() -> search(c, "Observation?patient=" + patientRef + "&_include=Observation:performer")));
        results.put(
                Interaction.SEARCH_REVINCLUDE,
                outcome(() -> search(c, "Patient?_id=" + f.patient() + "&_revinclude=Observation:patient")));
        results.put(
                Interaction.SEARCH_CHAINED,
                outcome(() -> search(c, "Observation?subject:Patient.identifier=" + f.chainSystem() + "|" + f.mrn())));
        results.put(Interaction.SEARCH_PAGING, outcome(() -> {
            Bundle first = c.search()
                    .byUrl("Observation?patient=" + patientRef + "&_count=1")
                    .returnBundle(Bundle.class)
                    .execute();
            c.loadPage().next(first).execute();
            return OK;
        }));
        results.put(Interaction.EVERYTHING_INSTANCE, outcome(() -> {
            Parameters input = new Parameters();
            input.addParameter("_since", new InstantType("2000-01-01T00:00:00Z"));
            input.addParameter("_type", new StringType("Patient,Observation"));
            Bundle chart = (Bundle) c.operation()
                    .onInstance(patientRef)
                    .named("$everything")
                    .withParameters(input)
                    .useHttpGet()
                    .returnResourceType(Bundle.class)
                    .execute();
            assertThat(chart.getEntry())
                    .extracting(e -> e.getResource().fhirType())
                    .contains("Patient", "Observation")
                    .doesNotContain("AuditEvent");
            return OK;
        }));
        results.put(Interaction.EVERYTHING_TYPE, outcome(() -> {
            c.operation()
                    .onType("Patient")
                    .named("$everything")
                    .withNoParameters(Parameters.class)
                    .useHttpGet()
                    .returnResourceType(Bundle.class)
                    .execute();
            return OK;
        }));
        results.put(Interaction.BATCH, outcome(() -> {
            Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
            batch.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl(patientRef);
            Bundle response = c.transaction().withBundle(batch).execute();
            return OK + "/"
                    + response.getEntryFirstRep().getResponse().getStatus().split(" ")[0];
        }));
        results.put(Interaction.TRANSACTION, outcome(() -> {
            Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            transaction
                    .addEntry()
                    .setFullUrl("urn:uuid:" + UUID.randomUUID())
                    .setResource(observation(f, "104", null))
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Observation");
            c.transaction().withBundle(transaction).execute();
            return OK;
        }));
        results.put(Interaction.FORMAT_PRETTY, outcome(() -> {
            c.read()
                    .resource(Patient.class)
                    .withId(f.patient())
                    .encodedXml()
                    .prettyPrint()
                    .execute();
            return OK;
        }));
        results.put(Interaction.SUMMARY, outcome(() -> {
            c.read()
                    .resource(Patient.class)
                    .withId(f.patient())
                    .summaryMode(SummaryEnum.TRUE)
                    .execute();
            return OK;
        }));
        results.put(Interaction.ELEMENTS, outcome(() -> {
            c.search()
                    .byUrl("Observation?patient=" + patientRef)
                    .elementsSubset("status", "subject")
                    .returnBundle(Bundle.class)
                    .execute();
            return OK;
        }));
        return results;
    }

    private static Observation observation(Fixture f, String value, String identifier) {
        Observation observation = ClinicalFixtures.observation(
                "Patient/" + f.patient(), "2345-7", "laboratory", "2024-01-05T10:00:00Z", value);
        if (identifier != null) {
            observation.addIdentifier(
                    new Identifier().setSystem(f.identifierSystem()).setValue(identifier));
        }
        return observation;
    }

    private static String search(IGenericClient c, String url) {
        c.search().byUrl(url).returnBundle(Bundle.class).execute();
        return OK;
    }

    private static String status(MethodOutcome outcome) {
        return Boolean.TRUE.equals(outcome.getCreated())
                ? ConformanceTable.CREATED
                : String.valueOf(outcome.getResponseStatusCode());
    }

    // ---------------------------------------------------------------- the chart walk

    /**
     * A patient with one Observation, created by an admin: the chart the chart walk reads. Returns the fixture of a
     * caller with no token; {@link #chartOf} gives each caller's.
     */
    ChartFixture newChart() {
        String unique = UUID.randomUUID().toString().replace("-", "");
        String system = "urn:fhir-anchor:test:conformance-chart:" + unique;
        String patient = admin.create()
                .resource(ClinicalFixtures.patient(system, "mrn-" + unique, "Chartholder", "1970-02-03"))
                .execute()
                .getId()
                .getIdPart();
        String observation = admin.create()
                .resource(ClinicalFixtures.observation(
                        "Patient/" + patient, "2345-7", "laboratory", "2024-02-03T10:00:00Z", "95"))
                .execute()
                .getId()
                .getIdPart();
        return new ChartFixture(
                null,
                null,
                patient,
                observation,
                system,
                "mrn-" + unique,
                List.of("Patient/" + patient, "Observation/" + observation));
    }

    static ChartFixture chartOf(ChartFixture chart, String caller, String token) {
        return new ChartFixture(
                caller,
                token,
                chart.patient(),
                chart.observation(),
                chart.identifierSystem(),
                chart.mrn(),
                chart.owned());
    }

    /** Every caller walks the chart with both clients; each row must be the expected one. */
    void assertChart(String when, List<ChartFixture> callers, Map<String, Map<ChartInteraction, String>> expected)
            throws Exception {
        assertChart(when, callers, expected, Set.of());
    }

    /** As above, except for the interactions in {@code notChecked} (walked, but not compared). */
    void assertChart(
            String when,
            List<ChartFixture> callers,
            Map<String, Map<ChartInteraction, String>> expected,
            Set<ChartInteraction> notChecked)
            throws Exception {
        Map<String, Map<ChartInteraction, String>> java = new LinkedHashMap<>();
        for (ChartFixture fixture : callers) {
            java.put(fixture.caller(), walkChart(fixture));
        }
        Map<String, Map<ChartInteraction, String>> node = runNode("chart", callers, ChartInteraction::valueOf);
        SoftAssertions softly = new SoftAssertions();
        for (ChartFixture fixture : callers) {
            Map<ChartInteraction, String> row = new EnumMap<>(expected.get(fixture.caller()));
            row.keySet().removeAll(notChecked);
            Map<ChartInteraction, String> byJava = new EnumMap<>(java.get(fixture.caller()));
            byJava.keySet().removeAll(notChecked);
            Map<ChartInteraction, String> byNode = new EnumMap<>(node.get(fixture.caller()));
            byNode.keySet().removeAll(notChecked);
            softly.assertThat(byJava)
                    .as("HAPI generic client, " + fixture.caller() + ", " + when)
                    .isEqualTo(row);
            softly.assertThat(byNode)
                    .as("fhir-kit-client, " + fixture.caller() + ", " + when)
                    .isEqualTo(row);
        }
        softly.assertAll();
    }

    /** The chart walk with HAPI's generic client. */
    private Map<ChartInteraction, String> walkChart(ChartFixture f) {
        IGenericClient c = client(f.token());
        String patientRef = "Patient/" + f.patient();
        Function<Bundle, String> held = bundle -> bundle.getEntry().stream()
                        .filter(Bundle.BundleEntryComponent::hasResource)
                        .map(e -> e.getResource().fhirType() + "/"
                                + e.getResource().getIdElement().getIdPart())
                        .anyMatch(f.owned()::contains)
                ? OK
                : ConformanceTable.LEFT_OUT;
        Map<ChartInteraction, String> results = new EnumMap<>(ChartInteraction.class);
        results.put(ChartInteraction.READ, outcome(() -> {
            c.read().resource(Observation.class).withId(f.observation()).execute();
            return OK;
        }));
        results.put(ChartInteraction.VREAD, outcome(() -> {
            c.read()
                    .resource(Observation.class)
                    .withIdAndVersion(f.observation(), "1")
                    .execute();
            return OK;
        }));
        results.put(
                ChartInteraction.HISTORY,
                outcome(() -> held.apply(c.history()
                        .onInstance("Observation/" + f.observation())
                        .returnBundle(Bundle.class)
                        .execute())));
        results.put(
                ChartInteraction.SEARCH,
                outcome(() -> held.apply(searchBundle(c, "Observation?patient=" + patientRef))));
        results.put(
                ChartInteraction.SEARCH_INCLUDE,
                outcome(() -> held.apply(
                        searchBundle(c, "Observation?patient=" + patientRef + "&_include=Observation:subject"))));
        results.put(
                ChartInteraction.SEARCH_REVINCLUDE,
                outcome(() -> held.apply(
                        searchBundle(c, "Patient?_id=" + f.patient() + "&_revinclude=Observation:patient"))));
        results.put(
                ChartInteraction.SEARCH_CHAINED,
                outcome(() -> held.apply(searchBundle(
                        c, "Observation?subject:Patient.identifier=" + f.identifierSystem() + "|" + f.mrn()))));
        results.put(ChartInteraction.EVERYTHING_INSTANCE, outcome(() -> held.apply(everything(c, patientRef, false))));
        results.put(ChartInteraction.BATCH, outcome(() -> {
            Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
            batch.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("Observation/" + f.observation());
            Bundle.BundleEntryComponent entry =
                    c.transaction().withBundle(batch).execute().getEntryFirstRep();
            String status = entry.getResponse().getStatus().split(" ")[0];
            boolean holds = entry.hasResource()
                    && f.owned()
                            .contains(entry.getResource().fhirType() + "/"
                                    + entry.getResource().getIdElement().getIdPart());
            return OK + "/" + status + (status.equals(OK) && !holds ? " left out" : "");
        }));
        results.put(ChartInteraction.BTG_READ, outcome(() -> {
            c.read()
                    .resource(Observation.class)
                    .withId(f.observation())
                    .withAdditionalHeader("X-Purpose-Of-Use", BTG)
                    .execute();
            return OK;
        }));
        results.put(ChartInteraction.BTG_EVERYTHING, outcome(() -> held.apply(everything(c, patientRef, true))));
        return results;
    }

    /**
     * The patient's chart as a clinical client gets it: every version {@code $everything} returns for the token
     * ({@code Type/id/_history/vid}), every page, Consents aside (a Consent is chart data of its own patient).
     */
    Set<String> chartVersions(String token, String patientId) {
        IGenericClient c = client(token);
        Set<String> versions = new TreeSet<>();
        Bundle page = everything(c, "Patient/" + patientId, false);
        while (true) {
            page.getEntry().stream()
                    .filter(Bundle.BundleEntryComponent::hasResource)
                    .map(e -> e.getResource())
                    .filter(r ->
                            !r.fhirType().equals("Consent") && !r.fhirType().equals("OperationOutcome"))
                    .forEach(r ->
                            versions.add(r.fhirType() + "/" + r.getIdElement().getIdPart() + "/_history/"
                                    + r.getIdElement().getVersionIdPart()));
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                return versions;
            }
            page = c.loadPage().next(page).execute();
        }
    }

    private static Bundle everything(IGenericClient c, String patientRef, boolean breakGlass) {
        var call = c.operation()
                .onInstance(patientRef)
                .named("$everything")
                .withNoParameters(Parameters.class)
                .useHttpGet()
                .returnResourceType(Bundle.class);
        if (breakGlass) {
            call = call.withAdditionalHeader("X-Purpose-Of-Use", BTG);
        }
        return (Bundle) call.execute();
    }

    private static Bundle searchBundle(IGenericClient c, String url) {
        return c.search().byUrl(url).returnBundle(Bundle.class).execute();
    }

    // ---------------------------------------------------------------- fhir-kit-client, in node

    /** The same walk with fhir-kit-client: {@code walk} is "roles" or "chart". */
    private <I extends Enum<I>> Map<String, Map<I, String>> runNode(
            String walk, List<?> fixtures, Function<String, I> key) throws Exception {
        Path script = Path.of("src/test/node/client-conformance.mjs").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder("node", script.toString()).redirectErrorStream(false);
        builder.environment().put("FHIR_BASE", baseUrl);
        builder.environment().put("CONFORMANCE_WALK", walk);
        builder.environment().put("CONFORMANCE_INPUT", JSON.writeValueAsString(fixtures));
        Process process = builder.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errors = new Thread(() -> {
            try {
                process.getErrorStream().transferTo(err);
            } catch (IOException ignored) {
                // the exit code tells
            }
        });
        errors.start();
        process.getInputStream().transferTo(out);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        errors.join();
        assertThat(process.exitValue()).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode all = JSON.readTree(out.toByteArray());
        Map<String, Map<I, String>> results = new LinkedHashMap<>();
        all.fields().forEachRemaining(caller -> {
            Map<I, String> row = new LinkedHashMap<>();
            caller.getValue()
                    .fields()
                    .forEachRemaining(
                            i -> row.put(key.apply(i.getKey()), i.getValue().asText()));
            results.put(caller.getKey(), row);
        });
        return results;
    }

    private static final String OK = ConformanceTable.OK;

    private static FhirContext newClientContext() {
        FhirContext context = FhirContext.forR4();
        context.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        context.getRestfulClientFactory().setSocketTimeout(300_000);
        return context;
    }

    private static String outcome(Supplier<String> call) {
        try {
            return call.get();
        } catch (BaseServerResponseException e) {
            return String.valueOf(e.getStatusCode());
        }
    }
}
