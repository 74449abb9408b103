package org.fhiranchor.ipfs.kubo;

import org.fhiranchor.ipfs.cid.Cid;

/**
 * The node's CID for some content differs from the one computed here. Either the node imports with other
 * parameters than the pinned ones (a profile or config change), or the content was altered on the way. Either way
 * the CID must not be recorded: whatever is anchored has to be the address of exactly these bytes.
 */
public final class CidMismatchException extends KuboException {
    private final Cid expected;
    private final Cid actual;

    public CidMismatchException(String operation, Cid expected, Cid actual) {
        super(operation + ": node gave CID " + actual + " but the content's CID is " + expected, 200);
        this.expected = expected;
        this.actual = actual;
    }

    public Cid expected() {
        return expected;
    }

    public Cid actual() {
        return actual;
    }
}
