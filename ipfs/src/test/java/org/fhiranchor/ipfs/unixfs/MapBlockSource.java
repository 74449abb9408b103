package org.fhiranchor.ipfs.unixfs;

import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import org.fhiranchor.ipfs.cid.Block;
import org.fhiranchor.ipfs.cid.Cid;

/** In-memory blocks for importer/reader tests. */
final class MapBlockSource implements BlockSink, BlockSource {
    final Map<Cid, Block> blocks = new HashMap<>();

    @Override
    public void put(Block block) {
        blocks.put(block.cid(), block);
    }

    @Override
    public Block get(Cid cid) {
        Block block = blocks.get(cid);
        if (block == null) {
            throw new NoSuchElementException(cid.toString());
        }
        return block;
    }
}
