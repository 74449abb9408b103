package org.fhiranchor.server.archive;

import java.io.IOException;
import org.fhiranchor.ipfs.cid.Cid;
import org.fhiranchor.ipfs.unixfs.ChunkedBytes;

/** Where envelopes go: stored and pinned under the CID Kubo would compute for the same bytes. */
public interface ArchiveStore {

    /**
     * Stores and pins; returns the CID only after checking it against the locally computed one. The envelope stays
     * in chunks all the way: an archive is several megabytes.
     */
    Cid put(ChunkedBytes envelope) throws IOException;

    /** Stores and pins a small envelope held as one array. */
    default Cid put(byte[] envelope) throws IOException {
        return put(ChunkedBytes.of(envelope));
    }

    /** The bytes under {@code cid}, verified against it. */
    byte[] get(Cid cid) throws IOException;

    /** For health and logs: the store's kind and location (no secrets). */
    String describe();
}
