package org.fhiranchor.server.verify;

import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.fhiranchor.anchor.canonical.ContentHash;
import org.fhiranchor.anchor.chain.Ledger;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.anchor.proof.AnchorProof;
import org.fhiranchor.anchor.proof.ChainAnchor;
import org.fhiranchor.anchor.proof.MultiProof;
import org.fhiranchor.server.anchoring.ChainConnection;
import org.fhiranchor.server.anchoring.Checkpoint;
import org.fhiranchor.server.anchoring.CheckpointRepository;
import org.fhiranchor.server.fhir.StoredResources;
import org.fhiranchor.server.log.JdbcSubtreeHashes;
import org.fhiranchor.server.log.LogEntry;
import org.fhiranchor.server.log.VersionHasher;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;

/**
 * Checks a version: re-hashes what is stored NOW (so a row changed behind HAPI's back shows as
 * tampered), then builds its inclusion proof against the latest anchored checkpoint.
 */
public final class VersionVerifier {

    private final StoredResources resources;
    private final VersionHasher hasher;
    private final CheckpointRepository checkpoints;
    private final JdbcSubtreeHashes subtrees;
    private final ChainConnection chain;

    public VersionVerifier(
            StoredResources resources,
            VersionHasher hasher,
            CheckpointRepository checkpoints,
            JdbcSubtreeHashes subtrees,
            ChainConnection chain) {
        this.resources = resources;
        this.hasher = hasher;
        this.checkpoints = checkpoints;
        this.subtrees = subtrees;
        this.chain = chain;
    }

    public VersionVerification verify(LogEntry entry) {
        return verify(entry, currentContentHash(entry));
    }

    /**
     * As {@link #verify(LogEntry)}, with what the entry's version hashes to as stored now already at hand.
     *
     * @param current {@link #currentContentHash(LogEntry)} or {@link #currentContentHash(LogEntry, IBaseResource)}
     */
    public VersionVerification verify(LogEntry entry, byte[] current) {
        if (!Arrays.equals(current, entry.leaf().contentHash())) {
            return new VersionVerification(
                    VersionStatus.TAMPERED, entry, current, Optional.empty(), Optional.empty(), Optional.empty());
        }
        if (!entry.isSequenced()) {
            return new VersionVerification(
                    VersionStatus.PENDING, entry, current, Optional.empty(), Optional.empty(), Optional.empty());
        }
        Optional<Checkpoint> checkpoint = checkpoints.latestAnchored().filter(c -> c.treeSize() > entry.leafIndex());
        if (checkpoint.isEmpty()) {
            return new VersionVerification(
                    VersionStatus.PENDING, entry, current, Optional.empty(), Optional.empty(), Optional.empty());
        }
        Checkpoint anchored = checkpoint.get();
        AnchorProof proof = AnchorProof.forLeaf(
                entry.leaf(),
                entry.leafIndex(),
                anchored.treeSize(),
                subtrees,
                new ChainAnchor(
                        anchored.chainId(), anchored.contractAddress(), anchored.txHash(), anchored.blockNumber()));
        return new VersionVerification(
                VersionStatus.ANCHORED, entry, current, Optional.of(proof), checkpoint, confirmations(anchored));
    }

    /**
     * Checks many versions against one checkpoint, the latest anchored one: each is tampered, pending (not
     * sequenced, or after that checkpoint) or anchored; the anchored ones share one multi-leaf proof.
     *
     * @param currentContentHashes what each entry's version hashes to as stored now, in the same order
     *     ({@link #currentContentHash(LogEntry)}, or computed by the caller from a version it has read)
     */
    public VersionsVerification verifyAll(List<LogEntry> entries, List<byte[]> currentContentHashes) {
        Optional<Checkpoint> latest = checkpoints.latestAnchored();
        List<VersionVerification> results = new ArrayList<>();
        List<MultiProof.Version> anchoredLeaves = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            LogEntry entry = entries.get(i);
            byte[] current = currentContentHashes.get(i);
            VersionStatus status;
            if (!Arrays.equals(current, entry.leaf().contentHash())) {
                status = VersionStatus.TAMPERED;
            } else if (!entry.isSequenced() || latest.isEmpty() || latest.get().treeSize() <= entry.leafIndex()) {
                status = VersionStatus.PENDING;
            } else {
                status = VersionStatus.ANCHORED;
                anchoredLeaves.add(MultiProof.Version.of(entry.leaf(), entry.leafIndex()));
            }
            results.add(new VersionVerification(
                    status,
                    entry,
                    current,
                    Optional.empty(),
                    status == VersionStatus.ANCHORED ? latest : Optional.empty(),
                    Optional.empty()));
        }
        if (anchoredLeaves.isEmpty()) {
            return new VersionsVerification(results, Optional.empty(), Optional.empty(), Optional.empty());
        }
        Checkpoint anchored = latest.get();
        MultiProof proof = MultiProof.forLeaves(
                anchoredLeaves,
                anchored.treeSize(),
                subtrees,
                new ChainAnchor(
                        anchored.chainId(), anchored.contractAddress(), anchored.txHash(), anchored.blockNumber()));
        return new VersionsVerification(results, Optional.of(proof), latest, confirmations(anchored));
    }

    private Optional<Long> confirmations(Checkpoint anchored) {
        try {
            return Optional.of(Math.max(0, blockNumber() - anchored.blockNumber() + 1));
        } catch (RuntimeException chainDown) {
            return Optional.empty();
        }
    }

    /** The chain's block number seen at most this long ago: one RPC call per interval, not per request. */
    static final long BLOCK_NUMBER_MAX_AGE_NANOS = 500_000_000L;

    private record SeenBlock(long number, long atNanos) {}

    private volatile SeenBlock seenBlock;

    /**
     * The latest block number, re-asked at most every 0.5 s (a confirmation count may thus lag the node by a
     * block; it only grows). A failed call is not cached: the next request asks again.
     */
    private long blockNumber() {
        SeenBlock seen = seenBlock;
        long now = System.nanoTime();
        if (seen == null || now - seen.atNanos() > BLOCK_NUMBER_MAX_AGE_NANOS) {
            Ledger ledger = chain.ledger();
            seen = new SeenBlock(ledger.blockNumber(), now);
            seenBlock = seen;
        }
        return seen.number();
    }

    /**
     * As {@link #currentContentHash(LogEntry)}, without reading the version a second time when the caller has just
     * read it for the access check: {@code readable} is what {@code StoredVersions.readable(entry)} returned, which
     * is the version itself unless the entry is a delete (then the stored row must be a tombstone, so it is read
     * here) or it could not be read ({@code null}, also read here).
     */
    public byte[] currentContentHash(LogEntry entry, IBaseResource readable) {
        if (readable == null || entry.leaf().operation() == Operation.DELETE) {
            return currentContentHash(entry);
        }
        return hasher.contentHash(readable);
    }

    /** What the entry's version hashes to as stored now: its content hash, or the tombstone's if deleted. */
    public byte[] currentContentHash(LogEntry entry) {
        String type = entry.leaf().ref().type();
        IdType id = new IdType(type, entry.leaf().ref().id(), entry.leaf().ref().versionId());
        try {
            IBaseResource stored = resources.read(id, true);
            if (stored.isDeleted()) {
                return ContentHash.deleted();
            }
            return hasher.contentHash(stored);
        } catch (ResourceGoneException deleted) {
            return ContentHash.deleted();
        }
    }
}
