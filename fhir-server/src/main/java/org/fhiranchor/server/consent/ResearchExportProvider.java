package org.fhiranchor.server.consent;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.StringType;

/**
 * {@code GET [base]/$research-export?_type=Patient,Observation[&patient=Patient/a,Patient/b]}: the
 * research export, synchronous and small (at most {@code maxPerType} resources per type). It runs
 * each search with the caller's own request, so HAPI's ConsentInterceptor and
 * {@link ResearchConsentService} filter every resource exactly as for a search, and one AuditEvent
 * records the decisions. Without a research requester it is refused: the export never runs as
 * anyone else.
 */
public final class ResearchExportProvider {

    private static final Set<String> NEVER_EXPORTED = Set.of("AuditEvent", "Consent");

    private final DaoRegistry daoRegistry;
    private final FhirContext fhirContext;
    private final RequesterResolver requesters;
    private final int maxPerType;

    public ResearchExportProvider(DaoRegistry daoRegistry, FhirContext fhirContext, RequesterResolver requesters,
            int maxPerType) {
        this.daoRegistry = daoRegistry;
        this.fhirContext = fhirContext;
        this.requesters = requesters;
        this.maxPerType = maxPerType;
    }

    @Operation(name = "$research-export", idempotent = true)
    public Bundle export(
            @OperationParam(name = "_type", min = 1, max = 1) StringType types,
            @OperationParam(name = "patient", max = 1) StringType patients,
            RequestDetails request) {
        if (requesters.resolve(request).isEmpty()) {
            throw new ForbiddenOperationException("$research-export needs a research requester (token claims fhirUser and purpose_of_use)");
        }
        List<String> cohort = split(patients);
        Bundle export = new Bundle().setType(Bundle.BundleType.COLLECTION);
        for (String type : split(types)) {
            if (!daoRegistry.isResourceTypeSupported(type) || NEVER_EXPORTED.contains(type)) {
                throw new InvalidRequestException("$research-export cannot export " + type);
            }
            SearchParameterMap query = SearchParameterMap.newSynchronous();
            query.setLoadSynchronousUpTo(maxPerType);
            query.setCount(maxPerType);
            if (!cohort.isEmpty()) {
                restrictToCohort(query, type, cohort);
            }
            // The caller's request: the consent filter and its AuditEvent apply as to any search.
            IBundleProvider found = daoRegistry.getResourceDao(type).search(query, request);
            for (IBaseResource resource : found.getResources(0, maxPerType)) {
                if (resource != null) {
                    export.addEntry().setResource((org.hl7.fhir.r4.model.Resource) resource);
                }
            }
        }
        return export;
    }

    private void restrictToCohort(SearchParameterMap query, String type, List<String> cohort) {
        if ("Patient".equals(type)) {
            TokenOrListParam ids = new TokenOrListParam();
            cohort.forEach(ref -> ids.addOr(new TokenParam(ref.substring(ref.indexOf('/') + 1))));
            query.add("_id", ids);
            return;
        }
        RuntimeResourceDefinition definition = fhirContext.getResourceDefinition(type);
        if (definition.getSearchParam("patient") == null) {
            throw new InvalidRequestException("$research-export: " + type + " has no patient search parameter");
        }
        ReferenceOrListParam refs = new ReferenceOrListParam();
        cohort.forEach(ref -> refs.addOr(new ReferenceParam(ref)));
        query.add("patient", refs);
    }

    private static List<String> split(StringType list) {
        if (list == null || list.isEmpty()) {
            return List.of();
        }
        Set<String> values = new LinkedHashSet<>();
        for (String value : list.getValue().split(",")) {
            if (!value.isBlank()) {
                values.add(value.trim());
            }
        }
        return new ArrayList<>(values);
    }
}
