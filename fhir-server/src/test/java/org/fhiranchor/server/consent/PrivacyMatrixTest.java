package org.fhiranchor.server.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.fhiranchor.server.security.Role;
import org.fhiranchor.server.security.TokenIssuer;
import org.fhiranchor.server.support.ClinicalFixtures;
import org.fhiranchor.server.support.FhirRestTest;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Privacy consents decide clinical reads, under the default policy (opt-out): the matrix of consent
 * variants x callers x read paths, through REST. Callers: clinician A and clinician B (their
 * {@code fhirUser} is their Practitioner), and clinician C, who is named by no consent but works at
 * the Organization the consents name (a PractitionerRole), so the organization's grant or denial is
 * hers. The permit and deny consents name Practitioner A and the Organization.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrivacyMatrixTest extends FhirRestTest {

    enum Variant {
        PERMIT,
        DENY,
        NONE,
        EXPIRED,
        REVOKED
    }

    enum Caller {
        CLINICIAN_A,
        CLINICIAN_B,
        ORGANIZATION_MEMBER
    }

    private final String system = "urn:fhir-anchor:test:privacy:" + UUID.randomUUID();
    private final Map<Variant, String> patients = new LinkedHashMap<>();
    private final Map<Variant, String> observations = new LinkedHashMap<>();
    private final Map<Caller, String> fhirUsers = new LinkedHashMap<>();
    private String performer;

    /** What the policy says where no consent decides. */
    protected PrivacyConsentService.Policy policy() {
        return PrivacyConsentService.Policy.OPT_OUT;
    }

    @BeforeAll
    void seed() {
        var admin = clientWith(token(Role.ADMIN));
        String practitionerA = id(admin.create()
                .resource(new Practitioner().setActive(true))
                .execute()
                .getId());
        String practitionerB = id(admin.create()
                .resource(new Practitioner().setActive(true))
                .execute()
                .getId());
        String practitionerC = id(admin.create()
                .resource(new Practitioner().setActive(true))
                .execute()
                .getId());
        String hospital = id(admin.create()
                .resource(new Organization().setName("Privacy General").setActive(true))
                .execute()
                .getId());
        admin.create()
                .resource(new PractitionerRole()
                        .setActive(true)
                        .setPractitioner(new Reference(practitionerC))
                        .setOrganization(new Reference(hospital)))
                .execute();
        performer = id(admin.create()
                .resource(new Practitioner().setActive(true))
                .execute()
                .getId());
        fhirUsers.put(Caller.CLINICIAN_A, practitionerA);
        fhirUsers.put(Caller.CLINICIAN_B, practitionerB);
        fhirUsers.put(Caller.ORGANIZATION_MEMBER, practitionerC);
        for (Variant variant : Variant.values()) {
            String patient = id(admin.create()
                    .resource(ClinicalFixtures.patient(system, variant.name(), "Privacy", "1980-01-01"))
                    .execute()
                    .getId());
            patients.put(variant, patient);
            Observation lab =
                    ClinicalFixtures.observation(patient, "2345-7", "laboratory", "2024-01-02T10:00:00Z", "90");
            lab.addPerformer(new Reference(performer));
            String observation = id(admin.create().resource(lab).execute().getId());
            lab.setId(observation);
            lab.getValueQuantity().setValue(91);
            admin.update().resource(lab).execute(); // a second version, for history
            observations.put(variant, observation);
            switch (variant) {
                case PERMIT ->
                    admin.create()
                            .resource(PrivacyConsents.privacy(
                                    patient, Consent.ConsentProvisionType.PERMIT, practitionerA, hospital))
                            .execute();
                case DENY ->
                    admin.create()
                            .resource(PrivacyConsents.privacy(
                                    patient, Consent.ConsentProvisionType.DENY, practitionerA, hospital))
                            .execute();
                case EXPIRED ->
                    admin.create()
                            .resource(PrivacyConsents.expired(PrivacyConsents.privacy(
                                    patient, Consent.ConsentProvisionType.PERMIT, practitionerA, hospital)))
                            .execute();
                case REVOKED -> {
                    for (Consent.ConsentProvisionType type :
                            List.of(Consent.ConsentProvisionType.PERMIT, Consent.ConsentProvisionType.DENY)) {
                        Consent consent = PrivacyConsents.privacy(patient, type, practitionerA, hospital);
                        consent.setId(admin.create()
                                .resource(consent)
                                .execute()
                                .getId()
                                .toUnqualifiedVersionless());
                        consent.setStatus(Consent.ConsentState.INACTIVE);
                        admin.update().resource(consent).execute();
                    }
                }
                case NONE -> {}
            }
        }
    }

    Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Variant variant : Variant.values()) {
            for (Caller caller : Caller.values()) {
                cases.add(Arguments.of(variant, caller));
            }
        }
        return cases.stream();
    }

    /** The model of docs/consent.md section 5, for these fixtures. */
    boolean expectedVisible(Variant variant, Caller caller) {
        boolean named = caller != Caller.CLINICIAN_B; // A by name, C through the Organization
        boolean optOut = policy() == PrivacyConsentService.Policy.OPT_OUT;
        return switch (variant) {
            case PERMIT -> named || optOut;
            case DENY -> !named && optOut;
            case NONE, EXPIRED, REVOKED -> optOut;
        };
    }

    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("cases")
    void everyReadPath_followsTheConsent(Variant variant, Caller caller) {
        boolean visible = expectedVisible(variant, caller);
        String bearer = issuer.mint(new TokenIssuer.TokenRequest(
                Role.CLINICIAN,
                "dr-" + caller.name().toLowerCase(),
                Duration.ofMinutes(10),
                null,
                null,
                fhirUsers.get(caller),
                null));
        String patient = patients.get(variant);
        String observation = observations.get(variant);
        SoftAssertions soft = new SoftAssertions();

        HttpResponse<String> read = http("GET", "/" + patient, null, null, bearer);
        soft.assertThat(read.statusCode()).as("read Patient").isEqualTo(visible ? 200 : 403);
        if (!visible) {
            soft.assertThat(read.body())
                    .as("refusal says why")
                    .contains("OperationOutcome")
                    .contains("privacy consent");
        }
        soft.assertThat(http("GET", "/" + observation, null, null, bearer).statusCode())
                .as("read Observation")
                .isEqualTo(visible ? 200 : 403);
        soft.assertThat(http("GET", "/" + observation + "/_history/1", null, null, bearer)
                        .statusCode())
                .as("vread")
                .isEqualTo(visible ? 200 : 403);

        soft.assertThat(ids(bearer, "/Observation?subject=" + patient))
                .as("search")
                .isEqualTo(visible ? List.of(observation) : List.of());
        soft.assertThat(ids(bearer, "/Observation?subject=" + patient + "&_include=Observation:subject"))
                .as("_include")
                .containsExactlyInAnyOrderElementsOf(visible ? List.of(observation, patient) : List.of());
        soft.assertThat(ids(bearer, "/Practitioner?_id=" + idPart(performer) + "&_revinclude=Observation:performer"))
                .as("_revinclude")
                .contains(performer)
                .matches(found -> found.contains(observation) == visible, "holds the observation only if visible");
        soft.assertThat(ids(bearer, "/Observation?subject.identifier=" + system + "%7C" + variant.name()))
                .as("chained")
                .isEqualTo(visible ? List.of(observation) : List.of());
        soft.assertThat(ids(bearer, "/Patient?_id=" + idPart(patient) + "&_has:Observation:subject:code=2345-7"))
                .as("_has")
                .isEqualTo(visible ? List.of(patient) : List.of());
        soft.assertThat(ids(bearer, "/" + patient + "/$everything"))
                .as("$everything")
                .matches(
                        found -> found.contains(observation) == visible && found.contains(patient) == visible,
                        "holds the patient's data only if visible");
        soft.assertThat(versions(bearer, "/" + observation + "/_history"))
                .as("history")
                .hasSize(visible ? 2 : 0);
        soft.assertAll();
    }

    private List<String> ids(String bearer, String path) {
        return versions(bearer, path).stream()
                .map(id -> id.replaceAll("/_history/.*", ""))
                .distinct()
                .toList();
    }

    /** Every resource version in the answer, as {@code Type/id/_history/vid}. */
    private List<String> versions(String bearer, String path) {
        HttpResponse<String> response = http("GET", path, null, null, bearer);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        Bundle bundle = CLIENT_CONTEXT.newJsonParser().parseResource(Bundle.class, response.body());
        return bundle.getEntry().stream()
                .filter(e -> e.hasResource())
                .filter(e -> !e.getResource().fhirType().equals("OperationOutcome"))
                .map(e -> e.getResource().getIdElement().toUnqualified().getValue())
                .toList();
    }

    private static String id(org.hl7.fhir.instance.model.api.IIdType id) {
        return id.toUnqualifiedVersionless().getValue();
    }

    private static String idPart(String reference) {
        return reference.substring(reference.indexOf('/') + 1);
    }
}
