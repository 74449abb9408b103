package org.fhiranchor.ipfs.unixfs;

import java.io.IOException;
import org.fhiranchor.ipfs.cid.Block;
import org.fhiranchor.ipfs.cid.Cid;

/** Where a reader or exporter fetches blocks. Implementations return only blocks whose bytes match the CID. */
@FunctionalInterface
public interface BlockSource {
    /** @throws java.util.NoSuchElementException if the block is absent */
    Block get(Cid cid) throws IOException;
}
