package org.fhiranchor.server.archive;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fhiranchor.anchor.canonical.ContentHash;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.chain.ArchiveRef;
import org.fhiranchor.anchor.log.CompactRange;
import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.anchor.log.ResourceRef;
import org.fhiranchor.anchor.proof.BatchRecord;
import org.fhiranchor.anchor.proof.BatchedProof;
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
    public record Summary(
            long versionsRestored,
            long membersRestored,
            long checkpointsProven,
            int archivesRead,
            long envelopeBytes,
            long unprovenLeaves,
            long leavesAnchoredNotArchived,
            Duration elapsed) {}

    private final ArchiveStore store;
    private final EnvelopeCipher cipher;
    private final ArchiveBundleCodec codec;
    private final VersionHasher hasher;
    private final RestoreTarget target;
    private final PrintStream progress;

    public ArchiveRestorer(
            ArchiveStore store,
            EnvelopeCipher cipher,
            ArchiveBundleCodec codec,
            VersionHasher hasher,
            RestoreTarget target,
            PrintStream progress) {
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
        long membersRestored = 0;
        long unprovenMembers = 0;
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
                throw new RestoreException(
                        name + ": decryption failed (" + e.getClass().getSimpleName() + "): " + e.getMessage(), e);
            }
            read++;
            bytes += envelope.length;
            ArchiveBundleCodec.Decoded decoded = codec.decode(plaintext);
            if (decoded.fromSize() != archive.fromSize()
                    || decoded.toSize() != archive.toSize()
                    || decoded.versions().size() != archive.toSize() - archive.fromSize()) {
                throw new RestoreException(name + ": its Bundle covers " + decoded.fromSize() + ".." + decoded.toSize()
                        + " with " + decoded.versions().size() + " entries");
            }
            Map<ResourceRef, List<ArchivedMember>> membersByBatch = membersByBatch(name, decoded);
            for (ArchivedVersion version : decoded.versions()) {
                if (version.leafIndex() != tree.size()) {
                    throw new RestoreException(name + ": entry for leaf " + version.leafIndex() + " where leaf "
                            + tree.size() + " was expected");
                }
                byte[] recomputed = version.leaf().operation() == Operation.DELETE
                        ? ContentHash.deleted()
                        : hasher.contentHash(version.resourceOrNull());
                if (!Arrays.equals(recomputed, version.leaf().contentHash())) {
                    throw new RestoreException(name + ": leaf " + version.leafIndex() + " ("
                            + version.leaf().ref()
                            + "): the archived version does not hash to the logged content hash");
                }
                LeafEntry leaf = new LeafEntry(
                        version.leaf().operation(),
                        version.leaf().ref(),
                        recomputed,
                        version.leaf().salt());
                tree.append(leaf.leafHash());
                unproven.add(version);
                List<ArchivedMember> members =
                        membersByBatch.remove(version.leaf().ref());
                if (members != null) {
                    for (ArchivedMember member : provenMembers(name, version, members)) {
                        unproven.add(new ArchivedVersion(version.leafIndex(), member.leaf(), member.resource()));
                        unprovenMembers++;
                    }
                }
                byte[] anchoredRoot = chain.checkpointRoots().get(tree.size());
                if (anchoredRoot != null) {
                    if (!Arrays.equals(tree.root(), anchoredRoot)) {
                        throw new RestoreException("leaves 0.." + tree.size()
                                + " do not hash to the root anchored on chain" + " for that tree size");
                    }
                    proven++;
                    replay(unproven);
                    restored += unproven.size() - unprovenMembers;
                    membersRestored += unprovenMembers;
                    unproven.clear();
                    unprovenMembers = 0;
                    progress.printf("\rproven %d checkpoint(s), restored %d version(s)", proven, restored);
                    progress.flush();
                }
            }
        }
        progress.println();
        return new Summary(
                restored,
                membersRestored,
                proven,
                read,
                bytes,
                unproven.size() - unprovenMembers,
                Math.max(0, chain.latestCheckpointSize() - tree.size()),
                Duration.ofNanos(System.nanoTime() - started));
    }

    private static Map<ResourceRef, List<ArchivedMember>> membersByBatch(
            String name, ArchiveBundleCodec.Decoded decoded) {
        Map<ResourceRef, List<ArchivedMember>> byBatch = new HashMap<>();
        for (ArchivedMember member : decoded.members()) {
            byBatch.computeIfAbsent(member.batch(), b -> new ArrayList<>()).add(member);
        }
        for (ResourceRef batch : byBatch.keySet()) {
            if (decoded.versions().stream().noneMatch(v -> v.leaf().ref().equals(batch))) {
                throw new RestoreException(
                        name + ": batch members of " + batch + ", which is not a leaf of this archive");
            }
        }
        return byBatch;
    }

    /**
     * The members of a batch record, proven before anything is written (docs/verification.md 4.2): each one's bytes
     * hash to its member entry, their indexes are 0..k-1, and the tree over their leaf entries has the root and size
     * that the record (itself a leaf being proven against the chain) states.
     */
    private List<ArchivedMember> provenMembers(String name, ArchivedVersion record, List<ArchivedMember> members) {
        List<ArchivedMember> ordered = new ArrayList<>(members);
        ordered.sort(Comparator.comparingInt(ArchivedMember::batchIndex));
        BatchRecord statement;
        try {
            statement = BatchRecord.read(JsonParser.parseObject(
                    hasher.servedJson(record.resourceOrNull()).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            throw new RestoreException(
                    name + ": " + record.leaf().ref() + " carries batch members but is no batch record: "
                            + e.getMessage(),
                    e);
        }
        List<byte[]> leafHashes = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
            ArchivedMember member = ordered.get(i);
            if (member.batchIndex() != i) {
                throw new RestoreException(name + ": batch " + record.leaf().ref() + " has no member " + i);
            }
            if (!Arrays.equals(
                    hasher.contentHash(member.resource()), member.leaf().contentHash())) {
                throw new RestoreException(name + ": batch member "
                        + member.leaf().ref() + ": the archived version does not hash to its member content hash");
            }
            leafHashes.add(member.leaf().leafHash());
        }
        if (ordered.size() != statement.size()
                || !Arrays.equals(BatchedProof.batchRoot(leafHashes), statement.root())) {
            throw new RestoreException(
                    name + ": the members of " + record.leaf().ref() + " do not hash to the root and size it states");
        }
        return ordered;
    }

    private void replay(List<ArchivedVersion> versions) {
        try {
            target.replay(List.copyOf(versions));
        } catch (IOException e) {
            throw new RestoreException(
                    "the target refused versions at leaves " + versions.get(0).leafIndex() + ".."
                            + (versions.get(versions.size() - 1).leafIndex() + 1) + ": " + e.getMessage(),
                    e);
        }
    }
}
