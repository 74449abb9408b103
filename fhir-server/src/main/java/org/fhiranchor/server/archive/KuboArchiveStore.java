package org.fhiranchor.server.archive;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.fhiranchor.ipfs.cid.Cid;
import org.fhiranchor.ipfs.kubo.KuboClient;
import org.fhiranchor.ipfs.unixfs.ChunkedBytes;

/**
 * A Kubo RPC node. The client sends the pinned import parameters and rejects a CID that differs from the locally
 * computed one ({@code CidMismatchException}), so a misconfigured or lying node never gets a CID recorded.
 */
public final class KuboArchiveStore implements ArchiveStore {

    private final URI apiUrl;
    private final KuboClient client;
    private final Duration timeout;

    public KuboArchiveStore(URI apiUrl, Duration timeout) {
        this.apiUrl = apiUrl;
        this.client = new KuboClient(apiUrl, timeout);
        this.timeout = timeout;
    }

    @Override
    public Cid put(ChunkedBytes envelope) throws IOException {
        return client.add(envelope); // sends pin=true: stored and pinned in one call
    }

    @Override
    public byte[] get(Cid cid) throws IOException {
        return client.cat(cid, timeout);
    }

    @Override
    public String describe() {
        return "kubo:" + apiUrl;
    }
}
