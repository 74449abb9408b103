package org.fhiranchor.server.archive;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.fhiranchor.anchor.log.ResourceRef;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;

/** The DAO's vread with system privileges: what {@code GET [type]/[id]/_history/[vid]} serves. */
public final class DaoVersionSource implements VersionSource {

    private final DaoRegistry daoRegistry;

    public DaoVersionSource(DaoRegistry daoRegistry) {
        this.daoRegistry = daoRegistry;
    }

    @Override
    public Resource read(ResourceRef ref) {
        IdType id = new IdType(ref.type(), ref.id(), ref.versionId());
        return (Resource) daoRegistry.getResourceDao(ref.type()).read(id, new SystemRequestDetails(), false);
    }
}
