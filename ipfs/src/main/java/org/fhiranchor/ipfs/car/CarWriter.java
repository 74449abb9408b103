package org.fhiranchor.ipfs.car;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.fhiranchor.ipfs.cid.Block;
import org.fhiranchor.ipfs.cid.Cid;
import org.fhiranchor.ipfs.cid.Varint;
import org.fhiranchor.ipfs.unixfs.BlockSink;

/** Writes a CAR v1 stream: the header on construction, then one section per {@link #put}. Does not close the stream. */
public final class CarWriter implements BlockSink {
    private final OutputStream out;

    public CarWriter(OutputStream out, List<Cid> roots) throws IOException {
        this.out = out;
        writeSection(new CarHeader(roots).encode());
    }

    @Override
    public void put(Block block) throws IOException {
        byte[] cid = block.cid().bytes();
        byte[] data = block.data();
        out.write(Varint.encode((long) cid.length + data.length));
        out.write(cid);
        out.write(data);
    }

    public void flush() throws IOException {
        out.flush();
    }

    private void writeSection(byte[] section) throws IOException {
        out.write(Varint.encode(section.length));
        out.write(section);
    }
}
