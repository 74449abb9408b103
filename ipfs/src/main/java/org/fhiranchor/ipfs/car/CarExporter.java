package org.fhiranchor.ipfs.car;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fhiranchor.ipfs.cid.Block;
import org.fhiranchor.ipfs.cid.Cid;
import org.fhiranchor.ipfs.cid.Multicodec;
import org.fhiranchor.ipfs.unixfs.BlockSource;
import org.fhiranchor.ipfs.unixfs.PbLink;
import org.fhiranchor.ipfs.unixfs.PbNode;

/**
 * Exports the whole DAG under a root as a CAR v1, in depth-first pre-order (the order {@code ipfs dag export}
 * uses), each distinct block once. Follows dag-pb links; raw blocks are leaves. Other codecs are refused rather
 * than exported incompletely.
 */
public final class CarExporter {
    private CarExporter() {}

    /** @return the number of blocks written */
    public static long export(Cid root, BlockSource source, OutputStream out) throws IOException {
        CarWriter writer = new CarWriter(out, List.of(root));
        Set<Cid> written = new HashSet<>();
        Deque<Cid> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            Cid cid = pending.pop();
            if (!written.add(cid)) {
                continue;
            }
            Block block = source.get(cid);
            writer.put(block);
            if (cid.codec() == Multicodec.DAG_PB) {
                List<PbLink> links = PbNode.decode(block.data()).links();
                for (int i = links.size() - 1; i >= 0; i--) {
                    pending.push(links.get(i).hash());
                }
            } else if (cid.codec() != Multicodec.RAW) {
                throw new IOException("cannot traverse codec " + Multicodec.name(cid.codec()) + " of " + cid);
            }
        }
        writer.flush();
        return written.size();
    }
}
