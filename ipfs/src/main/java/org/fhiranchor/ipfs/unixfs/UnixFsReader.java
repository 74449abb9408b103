package org.fhiranchor.ipfs.unixfs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.fhiranchor.ipfs.cid.Block;
import org.fhiranchor.ipfs.cid.Cid;
import org.fhiranchor.ipfs.cid.Multicodec;

/**
 * Streams a UnixFS file back out of its blocks: raw leaves, dag-pb file leaves and dag-pb interior nodes, in
 * depth-first link order. One block is in memory at a time. The bytes produced are checked against the root's
 * declared file size, so a DAG that hashes correctly but lies about its shape still fails.
 */
public final class UnixFsReader {
    private UnixFsReader() {}

    public static InputStream open(Cid root, BlockSource source) {
        return new FileStream(root, source);
    }

    public static void copy(Cid root, BlockSource source, OutputStream out) throws IOException {
        try (InputStream in = open(root, source)) {
            in.transferTo(out);
        }
    }

    public static byte[] readAll(Cid root, BlockSource source) throws IOException {
        try (InputStream in = open(root, source)) {
            return in.readAllBytes();
        }
    }

    private static final class FileStream extends InputStream {
        private final BlockSource source;
        private final Deque<Cid> pending = new ArrayDeque<>();
        private byte[] current = new byte[0];
        private int position;
        private long expectedSize = -1;
        private long produced;

        FileStream(Cid root, BlockSource source) {
            this.source = source;
            pending.push(root);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (position == current.length) {
                if (pending.isEmpty()) {
                    if (expectedSize >= 0 && produced != expectedSize) {
                        throw new MalformedNodeException(
                                "file produced " + produced + " bytes but its root declares " + expectedSize);
                    }
                    return -1;
                }
                current = expand(pending.pop());
                position = 0;
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(current, position, buffer, offset, n);
            position += n;
            produced += n;
            return n;
        }

        /** Returns the bytes a block contributes directly, and queues its children in order. */
        private byte[] expand(Cid cid) throws IOException {
            Block block = source.get(cid);
            boolean isRoot = expectedSize < 0;
            if (cid.codec() == Multicodec.RAW) {
                if (isRoot) {
                    expectedSize = block.size();
                }
                return block.data();
            }
            if (cid.codec() != Multicodec.DAG_PB) {
                throw new MalformedNodeException("not a UnixFS file block: codec " + Multicodec.name(cid.codec()));
            }
            PbNode node = PbNode.decode(block.data());
            if (node.data() == null) {
                throw new MalformedNodeException("dag-pb node without UnixFS data: " + cid);
            }
            UnixFsData unixfs = UnixFsData.decode(node.data());
            if (unixfs.type() != UnixFsData.TYPE_FILE && unixfs.type() != UnixFsData.TYPE_RAW) {
                throw new MalformedNodeException("UnixFS type " + unixfs.type() + " is not a file: " + cid);
            }
            if (isRoot) {
                expectedSize = unixfs.fileSize();
            }
            List<PbLink> links = node.links();
            for (int i = links.size() - 1; i >= 0; i--) {
                pending.push(links.get(i).hash());
            }
            byte[] data = unixfs.data();
            return data == null ? new byte[0] : data;
        }
    }
}
