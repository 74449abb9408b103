package org.fhiranchor.ipfs.unixfs;

import org.fhiranchor.ipfs.cid.Cid;

/** The root of an imported file, the file's length, and how many blocks went to the sink. */
public record ImportResult(Cid root, long fileSize, long blockCount) {}
