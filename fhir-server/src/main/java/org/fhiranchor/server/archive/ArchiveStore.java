package org.fhiranchor.server.archive;

import java.io.IOException;
import org.fhiranchor.ipfs.cid.Cid;

/** Where envelopes go: stored and pinned under the CID Kubo would compute for the same bytes. */
public interface ArchiveStore {

    /** Stores and pins; returns the CID only after checking it against the locally computed one. */
    Cid put(byte[] envelope) throws IOException;

    /** The bytes under {@code cid}, verified against it. */
    byte[] get(Cid cid) throws IOException;

    /** For health and logs: the store's kind and location (no secrets). */
    String describe();
}
