package org.fhiranchor.server.consent;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Consent;

/**
 * Reads a patient's current Consents from the database, every time it is asked: no cache, so an
 * update or delete counts from the next request. A stored Consent that cannot be interpreted
 * (written before validation existed) counts as a deny: doubt never releases data.
 */
public final class PatientConsents {

    private final DaoRegistry daoRegistry;
    private final ConsentFlattener flattener;

    public PatientConsents(DaoRegistry daoRegistry, ConsentFlattener flattener) {
        this.daoRegistry = daoRegistry;
        this.flattener = flattener;
    }

    public List<ConsentDecisionRecord> of(String patientReference) {
        IFhirResourceDao<Consent> dao = daoRegistry.getResourceDao(Consent.class);
        SearchParameterMap query = SearchParameterMap.newSynchronous("patient", new ReferenceParam(patientReference));
        // A system request: storage hooks only, never the REST server's consent interceptor.
        List<IBaseResource> found = dao.search(query, new SystemRequestDetails()).getAllResources();
        List<ConsentDecisionRecord> records = new ArrayList<>(found.size());
        for (IBaseResource resource : found) {
            Consent consent = (Consent) resource;
            long version = Long.parseLong(consent.getIdElement().getVersionIdPart() != null
                    ? consent.getIdElement().getVersionIdPart() : consent.getMeta().getVersionId());
            try {
                records.add(flattener.flatten(consent, version, false));
            } catch (InvalidConsentException e) {
                records.add(denyAll(consent.getIdElement().getIdPart(), version, patientReference));
            }
        }
        return records;
    }

    private static ConsentDecisionRecord denyAll(String consentId, long version, String patient) {
        ConsentRule deny = new ConsentRule(0, ConsentRule.Effect.DENY, List.of(), List.of(), List.of(), List.of(),
                TimeRange.OPEN, TimeRange.OPEN, List.of());
        return new ConsentDecisionRecord(consentId, version, patient, "active", false, List.of(), List.of(), false,
                TimeRange.OPEN, List.of(), List.of(), List.of(deny));
    }
}
