package org.fhiranchor.server.archive;

import java.util.ArrayList;
import java.util.List;
import org.fhiranchor.anchor.log.ResourceRef;
import org.hl7.fhir.r4.model.Resource;

/** Reads a stored version exactly as the server serves it (the archiver's only view of FHIR data). */
public interface VersionSource {

    /** The version {@code ref}; throws if it is not readable (deleted versions are never asked for). */
    Resource read(ResourceRef ref);

    /**
     * The versions {@code refs}, in that order, each as {@link #read} gives it; a source may read them in fewer
     * round trips than one per version.
     */
    default List<Resource> readAll(List<ResourceRef> refs) {
        List<Resource> resources = new ArrayList<>(refs.size());
        refs.forEach(ref -> resources.add(read(ref)));
        return resources;
    }
}
