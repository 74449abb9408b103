package org.fhiranchor.ipfs.unixfs;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * File content written once, then read as often as needed, held in chunks of {@value #CHUNK_BYTES} bytes instead of
 * one array. An archive envelope of several megabytes is written by the cipher as it encrypts, hashed for its CID
 * and uploaded from here without ever being one contiguous array: with G1, an array of half a heap region or more is
 * a "humongous" allocation that starts a concurrent cycle, and one per archive made the server's collector work
 * several times a second under load.
 */
public final class ChunkedBytes extends OutputStream {

    /** Well under G1's smallest humongous threshold (half of a 1 MiB region). */
    static final int CHUNK_BYTES = 64 * 1024;

    private final List<byte[]> full = new ArrayList<>();
    private byte[] current = new byte[CHUNK_BYTES];
    private int used;
    private long size;
    private boolean closed;

    /** Content that is already one array (small payloads and tests). */
    public static ChunkedBytes of(byte[] bytes) {
        ChunkedBytes content = new ChunkedBytes();
        content.write(bytes, 0, bytes.length);
        content.close();
        return content;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        if (closed) {
            throw new IllegalStateException("content is closed: it is read-only now");
        }
        Objects.checkFromIndexSize(offset, length, bytes.length);
        while (length > 0) {
            if (used == current.length) {
                full.add(current);
                current = new byte[CHUNK_BYTES];
                used = 0;
            }
            int n = Math.min(length, current.length - used);
            System.arraycopy(bytes, offset, current, used, n);
            used += n;
            offset += n;
            length -= n;
            size += n;
        }
    }

    /** Ends writing; the content can be read from then on. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (used > 0) {
                full.add(used == current.length ? current : Arrays.copyOf(current, used));
            }
            current = null;
        }
    }

    /** Bytes written. */
    public long size() {
        return size;
    }

    /** The content's chunks in order, each exactly as long as its content (for an HTTP body publisher). */
    public List<byte[]> chunks() {
        requireClosed();
        return Collections.unmodifiableList(full);
    }

    /** A new stream over the whole content; each call starts at the beginning. */
    public InputStream newInputStream() {
        requireClosed();
        List<InputStream> streams = new ArrayList<>(full.size());
        for (byte[] chunk : full) {
            streams.add(new ByteArrayInputStream(chunk));
        }
        return new SequenceInputStream(Collections.enumeration(streams));
    }

    /** The content as one array: only for small content and tests, it is the allocation this class avoids. */
    public byte[] toByteArray() {
        requireClosed();
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(size, Integer.MAX_VALUE - 8));
        try {
            newInputStream().transferTo(out);
        } catch (IOException e) {
            throw new IllegalStateException("in-memory stream failed", e);
        }
        return out.toByteArray();
    }

    private void requireClosed() {
        if (!closed) {
            throw new IllegalStateException("content is still being written: close it first");
        }
    }
}
