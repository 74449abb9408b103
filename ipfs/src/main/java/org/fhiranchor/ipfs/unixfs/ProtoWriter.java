package org.fhiranchor.ipfs.unixfs;

import java.io.ByteArrayOutputStream;
import org.fhiranchor.ipfs.cid.Varint;

/** The three protobuf wire types dag-pb and UnixFS need: varint (0) and length-delimited (2). */
final class ProtoWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ProtoWriter varint(int field, long value) {
        Varint.write((long) field << 3, out);
        Varint.write(value, out);
        return this;
    }

    ProtoWriter bytes(int field, byte[] value) {
        Varint.write(((long) field << 3) | 2, out);
        Varint.write(value.length, out);
        out.writeBytes(value);
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
