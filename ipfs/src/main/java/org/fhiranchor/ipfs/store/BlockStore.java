package org.fhiranchor.ipfs.store;

import java.io.IOException;
import org.fhiranchor.ipfs.cid.Block;
import org.fhiranchor.ipfs.cid.Cid;
import org.fhiranchor.ipfs.unixfs.BlockSink;
import org.fhiranchor.ipfs.unixfs.BlockSource;

/** Content-addressed block storage. {@code put} is idempotent; {@code get} only ever returns verified bytes. */
public interface BlockStore extends BlockSink, BlockSource {
    @Override
    void put(Block block) throws IOException;

    /**
     * @throws BlockNotFoundException if absent
     * @throws org.fhiranchor.ipfs.cid.BlockHashMismatchException if the stored bytes no longer match the CID
     */
    @Override
    Block get(Cid cid) throws IOException;

    boolean has(Cid cid) throws IOException;
}
