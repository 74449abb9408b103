package org.fhiranchor.server.consumer;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fhiranchor.server.fhir.RequestScoped;
import org.fhiranchor.server.security.Consumer;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * A pharmacist ({@code consumer/pharmacist}) sees a Patient or a Practitioner only if a
 * MedicationRequest references it (through any of the MedicationRequest's reference search
 * parameters: {@code subject}, {@code patient}, {@code requester}, {@code intended-performer}); any
 * other, on every read path: 403 on a read or {@code $verify}, left out of searches, includes and
 * history. The other types a pharmacist reads (MedicationRequest, Medication, MedicationDispense) are
 * decided by its scopes and the privacy consents alone. Decided per resource id, once per request.
 */
public final class PharmacyRelationFilter extends ConsumerRelationFilter {

    public static final String REFUSAL =
            "A pharmacist may read a Patient or Practitioner only when a" + " MedicationRequest references it";

    static final Set<String> RELATED_TYPES = Set.of("Patient", "Practitioner");
    private static final String PRESCRIPTION = "MedicationRequest";
    private static final String DECISIONS_KEY = PharmacyRelationFilter.class.getName() + ".decisions";

    private final DaoRegistry daoRegistry;
    private final Map<String, List<String>> parametersByType = new HashMap<>();

    public PharmacyRelationFilter(DaoRegistry daoRegistry, FhirContext fhirContext) {
        super(Consumer.PHARMACIST, REFUSAL);
        this.daoRegistry = daoRegistry;
        for (String type : RELATED_TYPES) {
            parametersByType.put(
                    type,
                    fhirContext.getResourceDefinition(PRESCRIPTION).getSearchParams().stream()
                            .filter(p -> p.getParamType() == RestSearchParameterTypeEnum.REFERENCE)
                            .filter(p ->
                                    p.getTargets().isEmpty() || p.getTargets().contains(type))
                            .map(RuntimeSearchParam::getName)
                            .sorted()
                            .toList());
        }
    }

    /** The decisions map. */
    @Override
    void prepare(RequestDetails request) {
        decisions(request);
    }

    @Override
    boolean concerns(IBaseResource resource) {
        return RELATED_TYPES.contains(resource.fhirType());
    }

    /** Decided per resource id, once per request. */
    @Override
    boolean related(RequestDetails request, IBaseResource resource) {
        String reference = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
        return decisions(request).computeIfAbsent(reference, this::referencedByPrescription);
    }

    /** Whether a stored (not deleted) MedicationRequest references the resource. */
    boolean referencedByPrescription(String reference) {
        String type = reference.substring(0, reference.indexOf('/'));
        for (String parameter : parametersByType.getOrDefault(type, List.of())) {
            SearchParameterMap search = SearchParameterMap.newSynchronous(parameter, new ReferenceParam(reference));
            search.setLoadSynchronousUpTo(1);
            if (!daoRegistry
                    .getResourceDao(PRESCRIPTION)
                    .search(search, new SystemRequestDetails())
                    .getResources(0, 1)
                    .isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Boolean> decisions(RequestDetails request) {
        return RequestScoped.map(request, DECISIONS_KEY);
    }
}
