package org.fhiranchor.server.consent;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentOutcome;
import ca.uhn.fhir.rest.server.interceptor.consent.IConsentContextServices;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.fhiranchor.server.fhir.BulkExportContext;
import org.fhiranchor.server.fhir.ResponseFilter;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Patient-privacy consents on Bulk Data exports ({@code $export}, docs/bulk-export.md): a bulk export
 * discloses data wholesale to a system whose purpose the server cannot check, so a patient whose
 * in-force {@code patient-privacy} Consent denies disclosure to the exporting client is absent from
 * the export, with everything in the patient's compartment. No consent, or a permit, releases
 * (this is not research: research data leaves only through {@code $research-export}).
 *
 * <p>A deny rule matches when it is in its period, its actions are empty or include access, use or
 * disclose, its classes are empty or name the type (or are of another system), and its actors are
 * empty or name the exporter's {@code fhirUser}; its purposes are not looked at (the export states
 * none): doubt never releases data. Within one Consent the deepest matching rules decide, as for
 * research ({@link ConsentEvaluator}); a permit rule counts only when it names no purpose and no
 * constraint the engine cannot evaluate. A stored Consent that cannot be interpreted denies.
 * Decisions are taken once per patient and export.
 */
public final class DisclosureConsentFilter implements ResponseFilter {

    static final String PATIENT_PRIVACY = ConsentEvaluator.CONSENT_SCOPE + "|patient-privacy";

    private final PatientConsents consents;
    private final FhirContext fhirContext;
    private final Clock clock;
    private final Map<String, Map<String, Boolean>> withheldByExport = new ConcurrentHashMap<>();

    public DisclosureConsentFilter(PatientConsents consents, FhirContext fhirContext, Clock clock) {
        this.consents = consents;
        this.fhirContext = fhirContext;
        this.clock = clock;
    }

    @Override
    public boolean appliesTo(RequestDetails request) {
        return BulkExportContext.of(request).isPresent();
    }

    /** A finished export's decisions are forgotten. */
    @Override
    public void completeOperationSuccess(RequestDetails request, IConsentContextServices context) {
        BulkExportContext.of(request).ifPresent(export -> withheldByExport.remove(export.exportKey()));
    }

    @Override
    public ConsentOutcome decide(RequestDetails request, IBaseResource resource) {
        BulkExportContext export = BulkExportContext.of(request).orElse(null);
        if (export == null || resource == null) {
            return ConsentOutcome.PROCEED;
        }
        Set<String> patients = PatientCompartment.owners(fhirContext, resource);
        Map<String, Boolean> withheld =
                withheldByExport.computeIfAbsent(export.exportKey(), k -> new ConcurrentHashMap<>());
        Instant now = clock.instant();
        for (String patient : patients) {
            if (withheld.computeIfAbsent(
                    patient, p -> denies(consents.of(p), export.fhirUser(), resource.fhirType(), now))) {
                return ConsentOutcome.REJECT;
            }
        }
        return ConsentOutcome.PROCEED;
    }

    /** Whether any in-force patient-privacy Consent of the patient denies this disclosure. */
    static boolean denies(
            Iterable<ConsentDecisionRecord> patientConsents, String fhirUser, String resourceType, Instant now) {
        for (ConsentDecisionRecord consent : patientConsents) {
            boolean governs = consent.scopes().isEmpty() || consent.scopes().contains(PATIENT_PRIVACY);
            if (consent.inForce()
                    && governs
                    && decide(consent, fhirUser, resourceType, now) == ConsentRule.Effect.DENY) {
                return true;
            }
        }
        return false;
    }

    private static ConsentRule.Effect decide(
            ConsentDecisionRecord consent, String fhirUser, String resourceType, Instant now) {
        int deepest = -1;
        boolean deny = false;
        for (ConsentRule rule : consent.rules()) {
            if (!matches(rule, fhirUser, resourceType, now)) {
                continue;
            }
            if (rule.depth() > deepest) {
                deepest = rule.depth();
                deny = false;
            }
            deny |= rule.depth() == deepest && rule.effect() == ConsentRule.Effect.DENY;
        }
        return deepest < 0 ? null : deny ? ConsentRule.Effect.DENY : ConsentRule.Effect.PERMIT;
    }

    private static boolean matches(ConsentRule rule, String fhirUser, String resourceType, Instant now) {
        boolean permit = rule.effect() == ConsentRule.Effect.PERMIT;
        if (!rule.period().contains(now)) {
            return false;
        }
        if (!rule.actors().isEmpty()
                && (permit || fhirUser != null)
                && !rule.actors().contains(fhirUser)) {
            return false;
        }
        if (permit && !rule.purposes().isEmpty()) {
            return false; // the export states no purpose: a purpose-bound permit is not certain to apply
        }
        if (!rule.actions().isEmpty() && rule.actions().stream().noneMatch(ConsentEvaluator::isReleaseAction)) {
            return false;
        }
        if (!rule.classes().isEmpty()) {
            boolean typeListed = rule.classes().contains(ConsentEvaluator.RESOURCE_TYPES + "|" + resourceType);
            boolean otherSystem =
                    rule.classes().stream().anyMatch(c -> !c.startsWith(ConsentEvaluator.RESOURCE_TYPES + "|"));
            if (permit ? !typeListed : !(typeListed || otherSystem)) {
                return false;
            }
        }
        boolean uncertain = !rule.dataPeriod().isOpen() || !rule.unevaluated().isEmpty();
        return !(permit && uncertain);
    }
}
