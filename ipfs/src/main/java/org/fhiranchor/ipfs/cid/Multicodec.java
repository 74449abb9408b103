package org.fhiranchor.ipfs.cid;

/** The content codecs this module handles. */
public final class Multicodec {
    /** Raw bytes: the leaves of a raw-leaves UnixFS import. */
    public static final long RAW = 0x55;
    /** dag-pb (MerkleDAG protobuf): UnixFS file nodes; the only codec of CIDv0. */
    public static final long DAG_PB = 0x70;

    private Multicodec() {}

    public static String name(long codec) {
        if (codec == RAW) {
            return "raw";
        }
        if (codec == DAG_PB) {
            return "dag-pb";
        }
        return "0x" + Long.toHexString(codec);
    }
}
