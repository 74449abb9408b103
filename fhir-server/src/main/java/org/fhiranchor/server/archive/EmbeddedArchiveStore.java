package org.fhiranchor.server.archive;

import java.io.IOException;
import java.nio.file.Path;
import org.fhiranchor.ipfs.cid.Cid;
import org.fhiranchor.ipfs.store.ContentStore;
import org.fhiranchor.ipfs.unixfs.ChunkedBytes;

/** The embedded block store: no daemon needed; blocks are re-hashed on every read. */
public final class EmbeddedArchiveStore implements ArchiveStore {

    private final Path directory;
    private final ContentStore store;

    public EmbeddedArchiveStore(Path directory) throws IOException {
        this.directory = directory;
        this.store = ContentStore.open(directory);
    }

    @Override
    public Cid put(ChunkedBytes envelope) throws IOException {
        return store.add(envelope.newInputStream()); // add pins
    }

    @Override
    public byte[] get(Cid cid) throws IOException {
        return store.catBytes(cid);
    }

    @Override
    public String describe() {
        return "embedded:" + directory;
    }
}
