package org.fhiranchor.ipfs.unixfs;

import java.io.IOException;
import org.fhiranchor.ipfs.cid.Block;

/** Where an import puts its blocks, one at a time, so a large file never sits in memory. */
@FunctionalInterface
public interface BlockSink {
    void put(Block block) throws IOException;
}
