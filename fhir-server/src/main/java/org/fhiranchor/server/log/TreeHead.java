package org.fhiranchor.server.log;

import java.time.Instant;

/** The sequenced log's current size and root. */
public record TreeHead(long treeSize, byte[] rootHash, Instant updatedAt) {}
