package org.fhiranchor.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.MethodOutcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fhiranchor.server.conformance.ConformanceTable.ChartInteraction;
import org.fhiranchor.server.conformance.ConformanceWalks.ChartFixture;
import org.fhiranchor.server.consent.PrivacyConsents;
import org.fhiranchor.server.consent.ResearchConsents;
import org.fhiranchor.server.security.Role;
import org.fhiranchor.server.support.FhirRestTest;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Practitioner;
import org.junit.jupiter.api.Test;

/**
 * Real FHIR clients before and after consent changes (docs/security.md, "Client conformance"; docs/consent.md
 * section 5): a patient, with their own token, denies one clinician; both clients (HAPI's generic client and
 * fhir-kit-client) then get what {@link ConformanceTable#CHART_WITHHELD} says for that clinician (direct reads 403,
 * searches and {@code $everything} without the patient's data, break-glass released), while another clinician and
 * the EHR are unaffected; after the patient revokes the deny the clinician reads again. Research opt-in and opt-out
 * Consents never change what the clinical chart returns.
 */
class ConsentConformanceTest extends FhirRestTest {

    private static final String NAMED = "clinician named in the deny";
    private static final String OTHER = "another clinician";
    private static final String EHR = "ehr";

    @Test
    void aPatientsPrivacyConsent_decidesWhatEachClientSees_andResearchConsentsChangeNoChart() throws Exception {
        ConformanceWalks walks = new ConformanceWalks(baseUrl(), issuer);
        ChartFixture chart = walks.newChart();
        String named = "Practitioner/"
                + client.create()
                        .resource(new Practitioner().setActive(true))
                        .execute()
                        .getId()
                        .getIdPart();
        String other = "Practitioner/"
                + client.create()
                        .resource(new Practitioner().setActive(true))
                        .execute()
                        .getId()
                        .getIdPart();
        String namedToken = walks.clinicianToken(named);
        String ehrToken = walks.token(Role.EHR);
        var patient = walks.client(walks.patientToken(chart.patient()));
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put(NAMED, namedToken);
        tokens.put(OTHER, walks.clinicianToken(other));
        tokens.put(EHR, ehrToken);

        Map<String, Map<ChartInteraction, String>> released = rows(ConformanceTable.CHART_RELEASED);
        walks.assertChart("before any consent", callers(chart, tokens), released);

        // The patient denies one clinician (provision.actor = the clinician token's fhirUser).
        MethodOutcome created = patient.create()
                .resource(
                        PrivacyConsents.privacy("Patient/" + chart.patient(), Consent.ConsentProvisionType.DENY, named))
                .execute();
        assertThat(created.getCreated()).isTrue();
        String consentId = created.getId().getIdPart();
        chart = chart.owning("Consent/" + consentId);
        Map<String, Map<ChartInteraction, String>> denied = rows(ConformanceTable.CHART_RELEASED);
        denied.put(NAMED, ConformanceTable.CHART_WITHHELD);
        walks.assertChart("while the patient denies one clinician", callers(chart, tokens), denied);

        // The patient revokes it: the clinician reads again from the next request.
        Consent deny = patient.read().resource(Consent.class).withId(consentId).execute();
        deny.setStatus(Consent.ConsentState.INACTIVE);
        assertThat(patient.update().resource(deny).execute().getResponseStatusCode())
                .isEqualTo(200);
        walks.assertChart("after the patient revoked the deny", callers(chart, tokens), released);

        // Research consents decide research release only: the clinical chart stays the same, for every client.
        Set<String> clinicianChart = walks.chartVersions(namedToken, chart.patient());
        Set<String> ehrChart = walks.chartVersions(ehrToken, chart.patient());
        assertThat(clinicianChart).isEqualTo(ehrChart).contains("Patient/" + chart.patient() + "/_history/1");
        for (ResearchConsents.Variant variant :
                List.of(ResearchConsents.Variant.PERMIT_ANY_RESEARCHER, ResearchConsents.Variant.DENY)) {
            MethodOutcome research = patient.create()
                    .resource(
                            ResearchConsents.of(variant, "Patient/" + chart.patient(), "Organization/conformance-lab"))
                    .execute();
            assertThat(research.getCreated()).as(variant.name()).isTrue();
            chart = chart.owning("Consent/" + research.getId().getIdPart());
            walks.assertChart("after a research consent " + variant, callers(chart, tokens), released);
            assertThat(walks.chartVersions(namedToken, chart.patient()))
                    .as(variant.name())
                    .isEqualTo(clinicianChart);
            assertThat(walks.chartVersions(ehrToken, chart.patient()))
                    .as(variant.name())
                    .isEqualTo(ehrChart);
        }
    }

    @Test
    void batchRead_ofAWithheldResource_isRefused() throws Exception {
        ConformanceWalks walks = new ConformanceWalks(baseUrl(), issuer);
        ChartFixture chart = walks.newChart();
        String named = "Practitioner/"
                + client.create()
                        .resource(new Practitioner().setActive(true))
                        .execute()
                        .getId()
                        .getIdPart();
        MethodOutcome created = walks.client(walks.patientToken(chart.patient()))
                .create()
                .resource(
                        PrivacyConsents.privacy("Patient/" + chart.patient(), Consent.ConsentProvisionType.DENY, named))
                .execute();
        chart = chart.owning("Consent/" + created.getId().getIdPart());
        walks.assertChart(
                "batch read while the patient denies the clinician",
                List.of(ConformanceWalks.chartOf(chart, NAMED, walks.clinicianToken(named))),
                Map.of(NAMED, ConformanceTable.CHART_WITHHELD));
    }

    private static List<ChartFixture> callers(ChartFixture chart, Map<String, String> tokens) {
        return tokens.entrySet().stream()
                .map(t -> ConformanceWalks.chartOf(chart, t.getKey(), t.getValue()))
                .toList();
    }

    /** Every clinician gets {@code clinician}; the EHR its own row. */
    private static Map<String, Map<ChartInteraction, String>> rows(Map<ChartInteraction, String> clinician) {
        Map<String, Map<ChartInteraction, String>> rows = new LinkedHashMap<>();
        rows.put(NAMED, clinician);
        rows.put(OTHER, clinician);
        rows.put(EHR, ConformanceTable.CHART_SYSTEM);
        return rows;
    }
}
