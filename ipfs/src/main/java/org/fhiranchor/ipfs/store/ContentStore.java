package org.fhiranchor.ipfs.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fhiranchor.ipfs.car.CarExporter;
import org.fhiranchor.ipfs.car.CarReader;
import org.fhiranchor.ipfs.cid.Block;
import org.fhiranchor.ipfs.cid.Cid;
import org.fhiranchor.ipfs.cid.Multicodec;
import org.fhiranchor.ipfs.unixfs.ImportParams;
import org.fhiranchor.ipfs.unixfs.PbLink;
import org.fhiranchor.ipfs.unixfs.PbNode;
import org.fhiranchor.ipfs.unixfs.UnixFsImporter;
import org.fhiranchor.ipfs.unixfs.UnixFsReader;

/**
 * The embedded IPFS: {@code add} gives the CID Kubo would give for the same bytes under
 * {@link ImportParams#KUBO_CIDV1_RAW_256K}, so content moves between this store and any IPFS node (by CAR) without
 * its address changing.
 *
 * <p>Safe for concurrent use by threads of one process: block writes are atomic renames of uniquely named temp
 * files (two writers of one block write the same bytes), and the pin set is synchronized. The pin file belongs to
 * one process at a time.
 */
public final class ContentStore {
    private final BlockStore blocks;
    private final PinSet pins;
    private final UnixFsImporter importer = new UnixFsImporter(ImportParams.KUBO_CIDV1_RAW_256K);

    public ContentStore(BlockStore blocks, PinSet pins) {
        this.blocks = blocks;
        this.pins = pins;
    }

    /** A store under {@code directory}: blocks in {@code blocks/}, pins in {@code pins.txt}. */
    public static ContentStore open(Path directory) throws IOException {
        return new ContentStore(
                new FileBlockStore(directory.resolve("blocks")), new PinSet(directory.resolve("pins.txt")));
    }

    public BlockStore blocks() {
        return blocks;
    }

    /** Imports a file and pins it, as {@code ipfs add --pin=true} does. */
    public Cid add(InputStream content) throws IOException {
        Cid root = importer.importFile(content, blocks).root();
        pins.add(root);
        return root;
    }

    /** A stream of the file's bytes; blocks are fetched and verified lazily as it is read. */
    public InputStream cat(Cid root) {
        return UnixFsReader.open(root, blocks);
    }

    public byte[] catBytes(Cid root) throws IOException {
        return UnixFsReader.readAll(root, blocks);
    }

    /** Pins a root whose whole DAG is present; throws {@link BlockNotFoundException} otherwise. */
    public void pin(Cid root) throws IOException {
        requireComplete(root);
        pins.add(root);
    }

    public boolean unpin(Cid root) throws IOException {
        return pins.remove(root);
    }

    public boolean isPinned(Cid root) {
        return pins.contains(root);
    }

    public Set<Cid> pins() {
        return pins.all();
    }

    public long exportCar(Cid root, OutputStream out) throws IOException {
        return CarExporter.export(root, blocks, out);
    }

    /**
     * Stores every block of a CAR (each hash-checked), then pins each root, as {@code ipfs dag import} does. A root
     * whose DAG is incomplete after the import is an error; the blocks already stored stay (they are valid).
     */
    public List<Cid> importCar(InputStream car) throws IOException {
        CarReader reader = new CarReader(car);
        Block block;
        while ((block = reader.next()) != null) {
            blocks.put(block);
        }
        for (Cid root : reader.roots()) {
            pin(root);
        }
        return reader.roots();
    }

    private void requireComplete(Cid root) throws IOException {
        Deque<Cid> pending = new ArrayDeque<>();
        Set<Cid> seen = new HashSet<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            Cid cid = pending.pop();
            if (!seen.add(cid)) {
                continue;
            }
            if (cid.codec() == Multicodec.DAG_PB) {
                for (PbLink link : PbNode.decode(blocks.get(cid).data()).links()) {
                    pending.push(link.hash());
                }
            } else if (!blocks.has(cid)) {
                throw new BlockNotFoundException(cid);
            }
        }
    }
}
