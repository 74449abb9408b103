package org.fhiranchor.server.archive;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fhiranchor.anchor.log.ResourceRef;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;

/**
 * The DAO's vread with system privileges: what {@code GET [type]/[id]/_history/[vid]} serves. Many versions at
 * once are read as one {@code _id} search per type and chunk (a version that is still its resource's current one
 * is served identically by both), and by vread only where the current version is another one.
 */
public final class DaoVersionSource implements VersionSource {

    /** Ids per search: a SQL IN list that every supported database takes. */
    static final int IDS_PER_SEARCH = 200;

    private final DaoRegistry daoRegistry;

    public DaoVersionSource(DaoRegistry daoRegistry) {
        this.daoRegistry = daoRegistry;
    }

    @Override
    public Resource read(ResourceRef ref) {
        IdType id = new IdType(ref.type(), ref.id(), ref.versionId());
        return (Resource) daoRegistry.getResourceDao(ref.type()).read(id, new SystemRequestDetails(), false);
    }

    @Override
    public List<Resource> readAll(List<ResourceRef> refs) {
        Map<String, List<ResourceRef>> byType = new LinkedHashMap<>();
        refs.forEach(ref ->
                byType.computeIfAbsent(ref.type(), t -> new ArrayList<>()).add(ref));
        Map<ResourceRef, Resource> current = new HashMap<>();
        byType.forEach((type, ofType) -> {
            for (int from = 0; from < ofType.size(); from += IDS_PER_SEARCH) {
                current.putAll(
                        currentVersions(type, ofType.subList(from, Math.min(ofType.size(), from + IDS_PER_SEARCH))));
            }
        });
        List<Resource> resources = new ArrayList<>(refs.size());
        for (ResourceRef ref : refs) {
            Resource found = current.get(ref);
            resources.add(found != null ? found : read(ref));
        }
        return resources;
    }

    /** The current versions of the resources {@code refs} name, keyed by the version each is. */
    Map<ResourceRef, Resource> currentVersions(String type, List<ResourceRef> refs) {
        TokenOrListParam ids = new TokenOrListParam();
        refs.stream().map(ResourceRef::id).distinct().forEach(id -> ids.add(null, id));
        SearchParameterMap search = SearchParameterMap.newSynchronous();
        search.add("_id", ids);
        search.setCount(refs.size());
        Map<ResourceRef, Resource> found = new HashMap<>();
        for (IBaseResource resource : daoRegistry
                .getResourceDao(type)
                .search(search, new SystemRequestDetails())
                .getAllResources()) {
            IdType id = (IdType) resource.getIdElement();
            found.put(new ResourceRef(type, id.getIdPart(), id.getVersionIdPart()), (Resource) resource);
        }
        return found;
    }
}
