package org.fhiranchor.server.archive;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.fhiranchor.anchor.canonical.ContentHash;
import org.fhiranchor.anchor.chain.ArchiveRef;
import org.fhiranchor.anchor.log.CompactRange;
import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.ipfs.cid.Cid;
import org.fhiranchor.ipfs.crypto.EnvelopeCipher;
import org.fhiranchor.ipfs.crypto.EnvelopeException;
import org.fhiranchor.server.log.VersionHasher;

/**
 * Rebuilds FHIR data from the chain, the archive store and the archive key, proving before writing: archives are
 * read in leaf order, each version's content hash is recomputed from its archived bytes and must equal the hash in
 * its leaf, the leaves are hashed into the tree, and whenever the tree reaches the size of an on-chain checkpoint
 * its root must equal that checkpoint's root. Only then are the versions of that checkpoint range replayed into
 * the target. Any mismatch, gap, unreadable or undecryptable archive stops the restore with a
 * {@link RestoreException}; nothing unproven is ever written.
 */
public final class ArchiveRestorer {

    /** What a restore did. {@code unprovenLeaves}: archived but beyond the last checkpoint they reach; not written. */
    public record Summary(long versionsRestored, long checkpointsProven, int archivesRead, long envelopeBytes,
            long unprovenLeaves, long leavesAnchoredNotArchived, Duration elapsed) {}

    private final ArchiveStore store;
    private final EnvelopeCipher cipher;
    private final ArchiveBundleCodec codec;
    private final VersionHasher hasher;
    private final RestoreTarget target;
    private final PrintStream progress;

    public ArchiveRestorer(ArchiveStore store, EnvelopeCipher cipher, ArchiveBundleCodec codec, VersionHasher hasher,
            RestoreTarget target, PrintStream progress) {
        this.store = store;
        this.cipher = cipher;
        this.codec = codec;
        this.hasher = hasher;
        this.target = target;
        this.progress = progress;
    }

    public Summary restore(ChainArchiveIndex chain) {
        long started = System.nanoTime();
        List<ArchiveRef> archives = new ArrayList<>(chain.archives());
        archives.sort(Comparator.comparingLong(ArchiveRef::fromSize));
        CompactRange tree = CompactRange.empty();
        List<ArchivedVersion> unproven = new ArrayList<>();
        long restored = 0;
        long proven = 0;
        long bytes = 0;
        int read = 0;
        for (ArchiveRef archive : archives) {
            if (archive.toSize() <= tree.size()) {
                continue; // the same range archived again (a retried run): already proven from the first one
            }
            if (archive.fromSize() != tree.size()) {
                throw new RestoreException("no archive on chain for leaves " + tree.size() + ".." + archive.fromSize());
            }
            Cid cid = Cid.fromBytes(archive.cid());
            String name = "archive " + archive.fromSize() + ".." + archive.toSize() + " (" + cid + ")";
            byte[] envelope;
            try {
                envelope = store.get(cid);
            } catch (IOException | RuntimeException e) {
                throw new RestoreException(name + ": cannot be fetched from " + store.describe() + ": " + e, e);
            }
            byte[] plaintext;
            try {
                plaintext = cipher.open(envelope);
            } catch (EnvelopeException e) {
                throw new RestoreException(name + ": decryption failed (" + e.getClass().getSimpleName() + "): "
                        + e.getMessage(), e);
            }
            read++;
            bytes += envelope.length;
            ArchiveBundleCodec.Decoded decoded = codec.decode(plaintext);
            if (decoded.fromSize() != archive.fromSize() || decoded.toSize() != archive.toSize()
                    || decoded.versions().size() != archive.toSize() - archive.fromSize()) {
                throw new RestoreException(name + ": its Bundle covers " + decoded.fromSize() + ".." + decoded.toSize()
                        + " with " + decoded.versions().size() + " entries");
            }
            for (ArchivedVersion version : decoded.versions()) {
                if (version.leafIndex() != tree.size()) {
                    throw new RestoreException(name + ": entry for leaf " + version.leafIndex() + " where leaf "
                            + tree.size() + " was expected");
                }
                byte[] recomputed = version.leaf().operation() == Operation.DELETE
                        ? ContentHash.deleted() : hasher.contentHash(version.resourceOrNull());
                if (!Arrays.equals(recomputed, version.leaf().contentHash())) {
                    throw new RestoreException(name + ": leaf " + version.leafIndex() + " (" + version.leaf().ref()
                            + "): the archived version does not hash to the logged content hash");
                }
                LeafEntry leaf = new LeafEntry(version.leaf().operation(), version.leaf().ref(), recomputed,
                        version.leaf().salt());
                tree.append(leaf.leafHash());
                unproven.add(version);
                byte[] anchoredRoot = chain.checkpointRoots().get(tree.size());
                if (anchoredRoot != null) {
                    if (!Arrays.equals(tree.root(), anchoredRoot)) {
                        throw new RestoreException("leaves 0.." + tree.size() + " do not hash to the root anchored on chain"
                                + " for that tree size");
                    }
                    proven++;
                    replay(unproven);
                    restored += unproven.size();
                    unproven.clear();
                    progress.printf("\rproven %d checkpoint(s), restored %d version(s)", proven, restored);
                    progress.flush();
                }
            }
        }
        progress.println();
        return new Summary(restored, proven, read, bytes, unproven.size(),
                Math.max(0, chain.latestCheckpointSize() - tree.size()), Duration.ofNanos(System.nanoTime() - started));
    }

    private void replay(List<ArchivedVersion> versions) {
        try {
            target.replay(List.copyOf(versions));
        } catch (IOException e) {
            throw new RestoreException("the target refused versions at leaves " + versions.get(0).leafIndex() + ".."
                    + (versions.get(versions.size() - 1).leafIndex() + 1) + ": " + e.getMessage(), e);
        }
    }
}
