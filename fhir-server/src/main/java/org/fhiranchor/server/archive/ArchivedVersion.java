package org.fhiranchor.server.archive;

import org.fhiranchor.anchor.log.LeafEntry;
import org.hl7.fhir.r4.model.Resource;

/**
 * One leaf of an archive: its index, its log entry (operation, reference, content hash, salt) and the version as
 * served, or null for a delete.
 */
public record ArchivedVersion(long leafIndex, LeafEntry leaf, Resource resourceOrNull) {}
