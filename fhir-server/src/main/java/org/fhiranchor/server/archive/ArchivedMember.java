package org.fhiranchor.server.archive;

import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.anchor.log.ResourceRef;
import org.hl7.fhir.r4.model.Resource;

/**
 * A batch member in an archive (docs/verification.md 4.2, docs/archive.md): its member entry (operation, reference,
 * content hash, salt), the batch record that commits to it and its index there, and the version as served. It travels
 * in the archive of the range that holds its batch record's leaf.
 */
public record ArchivedMember(ResourceRef batch, int batchIndex, LeafEntry leaf, Resource resource) {}
