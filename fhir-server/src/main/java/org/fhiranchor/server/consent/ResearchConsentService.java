package org.fhiranchor.server.consent;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentOutcome;
import ca.uhn.fhir.rest.server.interceptor.consent.IConsentContextServices;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fhiranchor.server.fhir.ResponseFilter;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The research release engine on HAPI's ConsentInterceptor: for a request carrying a
 * {@link ResearchRequester}, a resource leaves only if every patient whose compartment it is in
 * permits that requester and purpose now ({@link ConsentEvaluator}). Resources in no patient
 * compartment are not patient data and pass. Requests without a requester are not filtered here
 * (the filter does not {@linkplain #appliesTo apply} to them). Decisions are taken once per
 * patient and request, and written as one AuditEvent per request.
 */
public final class ResearchConsentService implements ResponseFilter {

    private static final String DECISIONS_KEY = ResearchConsentService.class.getName() + ".decisions";

    private final RequesterResolver requesters;
    private final PatientConsents consents;
    private final ResearchAuditWriter audit;
    private final FhirContext fhirContext;
    private final Clock clock;

    public ResearchConsentService(
            RequesterResolver requesters,
            PatientConsents consents,
            ResearchAuditWriter audit,
            FhirContext fhirContext,
            Clock clock) {
        this.requesters = requesters;
        this.consents = consents;
        this.audit = audit;
        this.fhirContext = fhirContext;
        this.clock = clock;
    }

    @Override
    public boolean appliesTo(RequestDetails request) {
        return requesters.resolve(request).isPresent();
    }

    @Override
    public void completeOperationSuccess(RequestDetails request, IConsentContextServices context) {
        writeAudit(request, true);
    }

    @Override
    public void completeOperationFailure(
            RequestDetails request, BaseServerResponseException exception, IConsentContextServices context) {
        writeAudit(request, false);
    }

    @Override
    public ConsentOutcome decide(RequestDetails request, IBaseResource resource) {
        Optional<ResearchRequester> requester = requesters.resolve(request);
        if (requester.isEmpty() || resource == null) {
            return ConsentOutcome.PROCEED;
        }
        Set<String> patients = patientsOf(resource);
        if (patients.isEmpty()) {
            return ConsentOutcome.PROCEED;
        }
        Map<String, PatientTally> decisions = decisions(request);
        boolean released = true;
        for (String patient : patients) {
            PatientTally tally = decisions.computeIfAbsent(
                    patient,
                    p -> new PatientTally(ConsentEvaluator.evaluate(
                            consents.of(p), requester.get(), resource.fhirType(), clock.instant())));
            released &= tally.verdict().released();
        }
        for (String patient : patients) {
            if (released) {
                decisions.get(patient).countReleased();
            } else {
                decisions.get(patient).countWithheld();
            }
        }
        return released ? ConsentOutcome.AUTHORIZED : ConsentOutcome.REJECT;
    }

    /** The patients whose data this is: a Patient itself, or the owners of its Patient compartment. */
    Set<String> patientsOf(IBaseResource resource) {
        return PatientCompartment.owners(fhirContext, resource);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, PatientTally> decisions(RequestDetails request) {
        return (Map<String, PatientTally>)
                request.getUserData().computeIfAbsent(DECISIONS_KEY, k -> new LinkedHashMap<>());
    }

    private void writeAudit(RequestDetails request, boolean succeeded) {
        Optional<ResearchRequester> requester = requesters.resolve(request);
        Object decisions = request.getUserData().remove(DECISIONS_KEY);
        if (requester.isEmpty() || !(decisions instanceof Map<?, ?> map) || map.isEmpty()) {
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, PatientTally> tallies = (Map<String, PatientTally>) map;
        audit.write(requester.get(), request.getRestOperationType(), tallies, succeeded);
    }
}
