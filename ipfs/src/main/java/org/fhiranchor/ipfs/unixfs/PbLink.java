package org.fhiranchor.ipfs.unixfs;

import org.fhiranchor.ipfs.cid.Cid;

/**
 * A dag-pb link. {@code cumulativeSize} (Tsize) is the size of the whole sub-DAG: the child block's bytes plus
 * its own links' Tsizes; for a raw leaf it is just the chunk length.
 */
public record PbLink(Cid hash, String name, long cumulativeSize) {}
