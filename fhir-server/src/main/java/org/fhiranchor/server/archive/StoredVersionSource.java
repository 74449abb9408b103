package org.fhiranchor.server.archive;

import org.fhiranchor.anchor.log.ResourceRef;
import org.fhiranchor.server.fhir.StoredResources;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;

/** The stored version read with system privileges: what {@code GET [type]/[id]/_history/[vid]} serves. */
public final class StoredVersionSource implements VersionSource {

    private final StoredResources resources;

    public StoredVersionSource(StoredResources resources) {
        this.resources = resources;
    }

    @Override
    public Resource read(ResourceRef ref) {
        return (Resource) resources.read(new IdType(ref.type(), ref.id(), ref.versionId()), false);
    }
}
