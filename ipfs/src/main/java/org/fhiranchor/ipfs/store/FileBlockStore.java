package org.fhiranchor.ipfs.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.fhiranchor.ipfs.cid.Base32;
import org.fhiranchor.ipfs.cid.Block;
import org.fhiranchor.ipfs.cid.Cid;

/**
 * One file per block under {@code root/<shard>/<key>.data}. The key is the base32 of the CID's binary form; the
 * shard is the key's next-to-last two characters, as in go-ds-flatfs's {@code next-to-last/2}, which spreads
 * blocks evenly (the last character carries few bits). Writes are atomic (see {@link AtomicFiles}); reads
 * re-hash, so disk corruption or tampering surfaces as
 * {@link org.fhiranchor.ipfs.cid.BlockHashMismatchException} instead of wrong data.
 */
public final class FileBlockStore implements BlockStore {
    private final Path root;

    public FileBlockStore(Path root) throws IOException {
        this.root = Files.createDirectories(root);
        sweepTempFiles();
    }

    @Override
    public void put(Block block) throws IOException {
        Path path = pathOf(block.cid());
        if (Files.exists(path)) {
            return; // same CID, same bytes: nothing to do
        }
        AtomicFiles.write(path, block.data());
    }

    @Override
    public Block get(Cid cid) throws IOException {
        try {
            return Block.verified(cid, Files.readAllBytes(pathOf(cid)));
        } catch (NoSuchFileException e) {
            throw new BlockNotFoundException(cid);
        }
    }

    @Override
    public boolean has(Cid cid) {
        return Files.exists(pathOf(cid));
    }

    /** Where a block lives; exposed for tests and operators. */
    public Path pathOf(Cid cid) {
        String key = Base32.encode(cid.bytes());
        String shard = key.substring(key.length() - 3, key.length() - 1);
        return root.resolve(shard).resolve(key + ".data");
    }

    /** Leftovers of writes interrupted by a crash; never renamed, so never visible as blocks. */
    private void sweepTempFiles() throws IOException {
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path shard : shards) {
                try (DirectoryStream<Path> temps = Files.newDirectoryStream(shard, AtomicFiles.TEMP_PREFIX + "*")) {
                    for (Path temp : temps) {
                        Files.deleteIfExists(temp);
                    }
                }
            }
        }
    }
}
