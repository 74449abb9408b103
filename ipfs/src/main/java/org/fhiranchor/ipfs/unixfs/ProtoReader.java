package org.fhiranchor.ipfs.unixfs;

import java.util.Arrays;
import org.fhiranchor.ipfs.cid.Varint;

/** Walks protobuf fields of wire types 0 and 2; anything else is a malformed node for our purposes. */
final class ProtoReader {
    private final byte[] buffer;
    private int position;
    private int field;
    private int wireType;

    ProtoReader(byte[] buffer) {
        this.buffer = buffer;
    }

    /** Advances to the next field; false at the end of the buffer. */
    boolean next() {
        if (position >= buffer.length) {
            return false;
        }
        long key = readVarint();
        field = (int) (key >>> 3);
        wireType = (int) (key & 7);
        if (wireType != 0 && wireType != 2) {
            throw new MalformedNodeException("unsupported protobuf wire type " + wireType + " in field " + field);
        }
        return true;
    }

    int field() {
        return field;
    }

    int wireType() {
        return wireType;
    }

    long varint() {
        expect(0);
        return readVarint();
    }

    byte[] bytes() {
        expect(2);
        long length = readVarint();
        if (length > buffer.length - position) {
            throw new MalformedNodeException("length-delimited field " + field + " runs past the end");
        }
        byte[] value = Arrays.copyOfRange(buffer, position, position + (int) length);
        position += (int) length;
        return value;
    }

    void skip() {
        if (wireType == 0) {
            readVarint();
        } else {
            bytes();
        }
    }

    private void expect(int type) {
        if (wireType != type) {
            throw new MalformedNodeException("field " + field + " has wire type " + wireType + ", expected " + type);
        }
    }

    private long readVarint() {
        try {
            Varint.Decoded decoded = Varint.decode(buffer, position);
            position += decoded.length();
            return decoded.value();
        } catch (IllegalArgumentException e) {
            throw new MalformedNodeException(e.getMessage());
        }
    }
}
