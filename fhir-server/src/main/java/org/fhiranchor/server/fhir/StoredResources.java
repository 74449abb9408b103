package org.fhiranchor.server.fhir;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * Stored versions read past authorization, for the server's own checks ({@code $verify}, the archive, the audit
 * sweep): through HAPI's DAO, or through the store of a resource type the server keeps outside HAPI's tables (the
 * AuditEvents, with {@code fhir-anchor.audit.store=table}). Either way the resource is what
 * {@code GET [type]/[id]/_history/[vid]} serves.
 */
public final class StoredResources {

    /** A resource type whose versions are kept outside HAPI. */
    public interface OwnStore {
        String resourceType();

        /** The version {@code versionId} (null: the current one) of {@code id}, if stored. */
        Optional<IBaseResource> read(String id, String versionId);

        /**
         * For a Bulk Data export: the keys of the stored resources last updated at or after {@code since} and before
         * {@code until} (either may be null: unbounded), in the order they were written, after {@code afterKey}; at
         * most {@code limit}.
         */
        List<Long> exportKeys(Instant since, Instant until, long afterKey, int limit);

        /** The JSON, exactly as served, of the resources with these keys, in the order of the keys. */
        List<String> exportJson(List<Long> keys);
    }

    private final DaoRegistry daoRegistry;
    private final Map<String, OwnStore> ownStores;

    public StoredResources(DaoRegistry daoRegistry, List<OwnStore> ownStores) {
        this.daoRegistry = daoRegistry;
        this.ownStores = ownStores.stream().collect(Collectors.toMap(OwnStore::resourceType, Function.identity()));
    }

    /** The types the server keeps outside HAPI. */
    public Set<String> ownStoreTypes() {
        return Set.copyOf(ownStores.keySet());
    }

    /** The store of {@code type}, if the server keeps that type outside HAPI. */
    public Optional<OwnStore> ownStore(String type) {
        return Optional.ofNullable(ownStores.get(type));
    }

    /** Whether this server stores resources of {@code type}. */
    public boolean isResourceTypeSupported(String type) {
        return ownStores.containsKey(type) || daoRegistry.isResourceTypeSupported(type);
    }

    /**
     * The version {@code id} names (its current one if it names none), as HAPI's DAO reads it: a deleted version is
     * returned as such when {@code deletedOk}, else it throws like the DAO.
     *
     * @throws ResourceNotFoundException if there is no such version
     */
    public IBaseResource read(IIdType id, boolean deletedOk) {
        OwnStore own = ownStores.get(id.getResourceType());
        if (own != null) {
            return own.read(id.getIdPart(), id.getVersionIdPart()).orElseThrow(() -> new ResourceNotFoundException(id));
        }
        return daoRegistry.getResourceDao(id.getResourceType()).read(id, new SystemRequestDetails(), deletedOk);
    }
}
