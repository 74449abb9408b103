package org.fhiranchor.ipfs.cid;

/**
 * A block: bytes and the CID that addresses them. Construct with {@link #verified} when the pairing comes from
 * outside (a CAR file, a disk, a network), so a block whose bytes do not hash to its CID never exists.
 */
public record Block(Cid cid, byte[] data) {
    public Block {
        data = data.clone();
    }

    /** A block whose CID is computed here, so it is right by construction. */
    public static Block of(long codec, byte[] data) {
        return new Block(Cid.sha256(codec, data), data);
    }

    /** Pairs a claimed CID with bytes after checking the hash; throws {@link BlockHashMismatchException}. */
    public static Block verified(Cid cid, byte[] data) {
        if (!cid.multihash().matches(data)) {
            throw new BlockHashMismatchException(cid);
        }
        return new Block(cid, data);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public int size() {
        return data.length;
    }

    /** Records compare arrays by reference; blocks are equal when CID and bytes are. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Block that && cid.equals(that.cid) && java.util.Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return cid.hashCode();
    }

    @Override
    public String toString() {
        return "Block[" + cid + ", " + data.length + " bytes]";
    }
}
