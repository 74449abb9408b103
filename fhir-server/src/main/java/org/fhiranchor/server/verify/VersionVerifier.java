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
            Ledger ledger = chain.ledger();
            return Optional.of(Math.max(0, ledger.blockNumber() - anchored.blockNumber() + 1));
        } catch (RuntimeException chainDown) {
            return Optional.empty();
        }
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
