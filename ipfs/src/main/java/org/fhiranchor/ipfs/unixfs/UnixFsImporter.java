package org.fhiranchor.ipfs.unixfs;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.fhiranchor.ipfs.cid.Block;
import org.fhiranchor.ipfs.cid.Cid;
import org.fhiranchor.ipfs.cid.Multicodec;
import org.fhiranchor.ipfs.cid.Multihash;

/**
 * Imports one file the way go-unixfs's balanced builder does (Kubo's default layout):
 *
 * <ul>
 *   <li>fixed-size chunks; a file of one chunk is just that leaf, an empty file is one empty leaf;
 *   <li>otherwise the first leaf becomes the first child of a depth-1 node that is filled with up to
 *       {@code maxLinks} leaves; while input remains, the current root becomes the first child of a new root one
 *       level deeper, which is filled with complete subtrees of the previous depth.
 * </ul>
 *
 * Blocks leave through the sink as soon as they are complete; memory holds one chunk of lookahead plus one list
 * of links per level.
 */
public final class UnixFsImporter {
    private final ImportParams params;

    public UnixFsImporter(ImportParams params) {
        this.params = params;
    }

    public ImportParams params() {
        return params;
    }

    public ImportResult importFile(InputStream input, BlockSink sink) throws IOException {
        Run run = new Run(new Chunker(input, params.chunkSize()), sink);
        Child root;
        if (run.chunker.done()) {
            root = run.leaf(new byte[0]);
        } else {
            root = run.leaf(run.chunker.next());
            for (int depth = 1; !run.chunker.done(); depth++) {
                List<Child> children = new ArrayList<>();
                children.add(root);
                root = run.fill(children, depth);
            }
        }
        return new ImportResult(root.cid(), root.fileSize(), run.blockCount);
    }

    /** Computes only the root CID (blocks are discarded): what Kubo will answer for these bytes. */
    public Cid computeCid(InputStream input) throws IOException {
        return importFile(input, block -> {}).root();
    }

    /** A finished child: its CID, the file bytes under it, and its Tsize (block bytes of the whole sub-DAG). */
    private record Child(Cid cid, long fileSize, long cumulativeSize) {}

    private final class Run {
        private final Chunker chunker;
        private final BlockSink sink;
        private long blockCount;

        Run(Chunker chunker, BlockSink sink) {
            this.chunker = chunker;
            this.sink = sink;
        }

        Child fill(List<Child> children, int depth) throws IOException {
            while (children.size() < params.maxLinks() && !chunker.done()) {
                children.add(depth == 1 ? leaf(chunker.next()) : fill(new ArrayList<>(), depth - 1));
            }
            return interior(children);
        }

        Child leaf(byte[] chunk) throws IOException {
            if (params.rawLeaves()) {
                Cid cid = Cid.sha256(Multicodec.RAW, chunk);
                emit(new Block(cid, chunk));
                return new Child(cid, chunk.length, chunk.length);
            }
            byte[] encoded = new PbNode(List.of(), UnixFsData.fileLeaf(chunk).encode()).encode();
            Cid cid = dagPbCid(encoded);
            emit(new Block(cid, encoded));
            return new Child(cid, chunk.length, encoded.length);
        }

        Child interior(List<Child> children) throws IOException {
            List<PbLink> links = new ArrayList<>(children.size());
            List<Long> blockSizes = new ArrayList<>(children.size());
            long cumulative = 0;
            for (Child child : children) {
                links.add(new PbLink(child.cid(), "", child.cumulativeSize()));
                blockSizes.add(child.fileSize());
                cumulative += child.cumulativeSize();
            }
            UnixFsData data = UnixFsData.fileInterior(blockSizes);
            byte[] encoded = new PbNode(links, data.encode()).encode();
            Cid cid = dagPbCid(encoded);
            emit(new Block(cid, encoded));
            return new Child(cid, data.fileSize(), encoded.length + cumulative);
        }

        private Cid dagPbCid(byte[] encoded) {
            Multihash hash = Multihash.sha256(encoded);
            return params.cidVersion() == 0 ? Cid.v0(hash) : Cid.v1(Multicodec.DAG_PB, hash);
        }

        private void emit(Block block) throws IOException {
            sink.put(block);
            blockCount++;
        }
    }

    /** Fixed-size chunks with one chunk of lookahead, because the layout must know whether input remains. */
    private static final class Chunker {
        private final InputStream input;
        private final int chunkSize;
        private byte[] lookahead;

        Chunker(InputStream input, int chunkSize) throws IOException {
            this.input = input;
            this.chunkSize = chunkSize;
            this.lookahead = readChunk();
        }

        boolean done() {
            return lookahead == null;
        }

        byte[] next() throws IOException {
            byte[] chunk = lookahead;
            lookahead = readChunk();
            return chunk;
        }

        /** A full chunk, a shorter last one, or null at end of input (never an empty chunk). */
        private byte[] readChunk() throws IOException {
            byte[] chunk = input.readNBytes(chunkSize);
            return chunk.length == 0 ? null : chunk;
        }
    }
}
