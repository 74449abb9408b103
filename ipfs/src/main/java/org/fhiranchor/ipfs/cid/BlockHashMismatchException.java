package org.fhiranchor.ipfs.cid;

/** Bytes that claim a CID but do not hash to it: corruption or tampering, never something to repair silently. */
public final class BlockHashMismatchException extends RuntimeException {
    private final Cid cid;

    public BlockHashMismatchException(Cid cid) {
        super("block content does not match its CID " + cid + " (or uses an unsupported hash function)");
        this.cid = cid;
    }

    public Cid cid() {
        return cid;
    }
}
