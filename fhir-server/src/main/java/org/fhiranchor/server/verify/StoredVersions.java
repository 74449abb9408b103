package org.fhiranchor.server.verify;

import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.server.fhir.StoredResources;
import org.fhiranchor.server.log.LogEntry;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;

/** The stored versions {@code $verify} looks at, read past authorization (the caller's access is decided by {@link ProofAccess}). */
final class StoredVersions {

    private final StoredResources resources;

    StoredVersions(StoredResources resources) {
        this.resources = resources;
    }

    /** What a reader of this version is shown: the version, or for a delete the version before it; null if none. */
    IBaseResource readable(LogEntry entry) {
        long version = Long.parseLong(entry.leaf().ref().versionId());
        if (entry.leaf().operation() == Operation.DELETE) {
            version--;
        }
        if (version < 1) {
            return null;
        }
        try {
            String type = entry.leaf().ref().type();
            IBaseResource resource =
                    resources.read(new IdType(type, entry.leaf().ref().id(), Long.toString(version)), true);
            return resource.isDeleted() ? null : resource;
        } catch (ResourceNotFoundException | ResourceGoneException gone) {
            return null;
        }
    }

    /** The current version number of a resource, deleted or not (404 if it never existed). */
    long currentVersion(String type, String id) {
        IBaseResource current = resources.read(new IdType(type, id), true);
        return Long.parseLong(current.getIdElement().getVersionIdPart());
    }
}
