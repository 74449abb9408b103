package org.fhiranchor.server.archive;

import org.fhiranchor.anchor.log.ResourceRef;
import org.hl7.fhir.r4.model.Resource;

/** Reads a stored version exactly as the server serves it (the archiver's only view of FHIR data). */
public interface VersionSource {

    /** The version {@code ref}; throws if it is not readable (deleted versions are never asked for). */
    Resource read(ResourceRef ref);
}
