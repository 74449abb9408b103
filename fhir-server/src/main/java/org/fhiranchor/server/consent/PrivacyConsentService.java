package org.fhiranchor.server.consent;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentOutcome;
import ca.uhn.fhir.rest.server.interceptor.consent.IConsentContextServices;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fhiranchor.server.access.AccessDetails;
import org.fhiranchor.server.fhir.ReadPaths;
import org.fhiranchor.server.fhir.RequestScoped;
import org.fhiranchor.server.fhir.ResponseFilter;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Privacy consents decide clinical reads: for a request of a {@link ClinicalReader}, a resource in
 * a patient's compartment leaves only if that patient's patient-privacy consents let this reader
 * see it ({@link ConsentEvaluator}, one evaluator with research release), under the default policy
 * when no consent decides: {@code opt-out} (released unless a consent denies) or {@code opt-in}
 * (withheld unless a consent permits). Break-glass releases what would be withheld; the access
 * audit records it. An instance read of a withheld resource is refused with 403 saying why;
 * searches, includes, history and {@code $everything} leave it out.
 */
public final class PrivacyConsentService implements ResponseFilter {

    /** What happens to a patient's data when none of their consents decides for this reader. */
    public enum Policy {
        OPT_OUT,
        OPT_IN
    }

    public static final String REFUSAL = "The patient's privacy consent does not permit this access. In an"
            + " emergency, declare break-glass (purpose of use BTG: token claim purpose_of_use or request header "
            + "X-Purpose-Of-Use); the access is then recorded and shown to the patient.";

    private static final String DECISIONS_KEY = PrivacyConsentService.class.getName() + ".decisions";
    private static final String IDENTITIES_KEY = PrivacyConsentService.class.getName() + ".identities";

    private final PatientConsents consents;
    private final CallerIdentities identities;
    private final Policy policy;
    private final FhirContext fhirContext;
    private final Clock clock;

    public PrivacyConsentService(
            PatientConsents consents,
            CallerIdentities identities,
            Policy policy,
            FhirContext fhirContext,
            Clock clock) {
        this.consents = consents;
        this.identities = identities;
        this.policy = policy;
        this.fhirContext = fhirContext;
        this.clock = clock;
    }

    @Override
    public String refusal() {
        return REFUSAL;
    }

    @Override
    public boolean appliesTo(RequestDetails request) {
        return ClinicalReader.of(request).isPresent() && ReadPaths.reads(request);
    }

    /**
     * Before the entries of a batch run in parallel (they share this request's user data): the per-request
     * caches, so that no entry's thread has to add them.
     */
    @Override
    public ConsentOutcome startOperation(RequestDetails request, IConsentContextServices context) {
        Optional<ClinicalReader> reader = ClinicalReader.of(request);
        if (reader.isPresent() && appliesTo(request)) {
            RequestScoped.map(request, DECISIONS_KEY);
            identitiesOf(request, reader.get());
        }
        return ConsentOutcome.PROCEED;
    }

    /** Whether this reader may see the resource now; also what the bulk export asks, resource by resource. */
    @Override
    public ConsentOutcome decide(RequestDetails request, IBaseResource resource) {
        Optional<ClinicalReader> reader = ClinicalReader.of(request);
        if (reader.isEmpty() || resource == null) {
            return ConsentOutcome.PROCEED;
        }
        Set<String> patients = PatientCompartment.owners(fhirContext, resource);
        if (patients.isEmpty()) {
            return ConsentOutcome.PROCEED;
        }
        boolean released = true;
        for (String patient : patients) {
            released &=
                    released(request, reader.get(), patient, resource.fhirType(), ConsentEvaluator.labelsOf(resource));
            AccessDetails.of(request).patient(patient);
        }
        if (released) {
            return ConsentOutcome.PROCEED;
        }
        if (reader.get().breakGlass()) {
            // The emergency override: released, and the access audit carries purposeOfEvent BTG.
            return ConsentOutcome.PROCEED;
        }
        ReadPaths.refuseInstanceRead(request, REFUSAL);
        return ConsentOutcome.REJECT;
    }

    private boolean released(
            RequestDetails request, ClinicalReader reader, String patient, String resourceType, Set<String> labels) {
        Map<String, Boolean> decisions = RequestScoped.map(request, DECISIONS_KEY);
        return decisions.computeIfAbsent(patient + " " + resourceType + " " + labels, key -> {
            ConsentEvaluator.Verdict verdict = ConsentEvaluator.evaluate(
                    consents.of(patient),
                    ConsentEvaluator.Question.clinical(identitiesOf(request, reader)),
                    resourceType,
                    labels,
                    clock.instant());
            return switch (verdict.outcome()) {
                case PERMIT -> true;
                case DENY -> false;
                case NO_CONSENT -> policy == Policy.OPT_OUT;
            };
        });
    }

    private Set<String> identitiesOf(RequestDetails request, ClinicalReader reader) {
        return RequestScoped.get(request, IDENTITIES_KEY, () -> identities.of(reader));
    }
}
