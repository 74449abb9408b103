package org.fhiranchor.anchor.chain;

/**
 * An encrypted archive of the leaves [fromSize, toSize) stored under an IPFS CID.
 *
 * @param fromSize first leaf index covered (inclusive)
 * @param toSize end of the range (exclusive); at most the tree size it is anchored with
 * @param cid the CID in binary form (not its base32 text)
 */
public record ArchiveRef(long fromSize, long toSize, byte[] cid) {
    public ArchiveRef {
        if (fromSize < 0 || fromSize >= toSize) {
            throw new IllegalArgumentException(
                    "archive range must satisfy 0 <= from < to: " + fromSize + ".." + toSize);
        }
        if (cid == null || cid.length == 0) {
            throw new IllegalArgumentException("archive CID must not be empty");
        }
        cid = cid.clone();
    }

    @Override
    public byte[] cid() {
        return cid.clone();
    }
}
