package org.fhiranchor.server.verify;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import java.util.Arrays;
import java.util.Optional;
import org.fhiranchor.anchor.canonical.ContentHash;
import org.fhiranchor.anchor.chain.Ledger;
import org.fhiranchor.anchor.proof.AnchorProof;
import org.fhiranchor.anchor.proof.ChainAnchor;
import org.fhiranchor.server.anchoring.ChainConnection;
import org.fhiranchor.server.anchoring.Checkpoint;
import org.fhiranchor.server.anchoring.CheckpointRepository;
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

    private final DaoRegistry daoRegistry;
    private final VersionHasher hasher;
    private final CheckpointRepository checkpoints;
    private final JdbcSubtreeHashes subtrees;
    private final ChainConnection chain;

    public VersionVerifier(DaoRegistry daoRegistry, VersionHasher hasher, CheckpointRepository checkpoints,
            JdbcSubtreeHashes subtrees, ChainConnection chain) {
        this.daoRegistry = daoRegistry;
        this.hasher = hasher;
        this.checkpoints = checkpoints;
        this.subtrees = subtrees;
        this.chain = chain;
    }

    public VersionVerification verify(LogEntry entry) {
        byte[] current = currentContentHash(entry);
        if (!Arrays.equals(current, entry.leaf().contentHash())) {
            return new VersionVerification(VersionStatus.TAMPERED, entry, current, Optional.empty(), Optional.empty(), Optional.empty());
        }
        if (!entry.isSequenced()) {
            return new VersionVerification(VersionStatus.PENDING, entry, current, Optional.empty(), Optional.empty(), Optional.empty());
        }
        Optional<Checkpoint> checkpoint = checkpoints.latestAnchored().filter(c -> c.treeSize() > entry.leafIndex());
        if (checkpoint.isEmpty()) {
            return new VersionVerification(VersionStatus.PENDING, entry, current, Optional.empty(), Optional.empty(), Optional.empty());
        }
        Checkpoint anchored = checkpoint.get();
        AnchorProof proof = AnchorProof.forLeaf(entry.leaf(), entry.leafIndex(), anchored.treeSize(), subtrees,
                new ChainAnchor(anchored.chainId(), anchored.contractAddress(), anchored.txHash(), anchored.blockNumber()));
        return new VersionVerification(VersionStatus.ANCHORED, entry, current, Optional.of(proof), checkpoint,
                confirmations(anchored));
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

    private byte[] currentContentHash(LogEntry entry) {
        String type = entry.leaf().ref().type();
        IdType id = new IdType(type, entry.leaf().ref().id(), entry.leaf().ref().versionId());
        try {
            IBaseResource stored = daoRegistry.getResourceDao(type).read(id, new SystemRequestDetails(), true);
            if (stored.isDeleted()) {
                return ContentHash.deleted();
            }
            return hasher.contentHash(stored);
        } catch (ResourceGoneException deleted) {
            return ContentHash.deleted();
        }
    }
}
