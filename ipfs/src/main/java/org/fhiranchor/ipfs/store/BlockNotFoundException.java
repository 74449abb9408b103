package org.fhiranchor.ipfs.store;

import java.util.NoSuchElementException;
import org.fhiranchor.ipfs.cid.Cid;

/** The store has no block for this CID. */
public final class BlockNotFoundException extends NoSuchElementException {
    private final Cid cid;

    public BlockNotFoundException(Cid cid) {
        super("block not found: " + cid);
        this.cid = cid;
    }

    public Cid cid() {
        return cid;
    }
}
