package org.fhiranchor.anchor.chain;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.fhiranchor.anchor.proof.CheckpointSource;

/**
 * The roots anchored on the contract the auditor chose, read through {@link LedgerReader#checkpointBySize}.
 * A chain that cannot be read throws {@link CheckpointUnavailableException}, which
 * {@link org.fhiranchor.anchor.proof.ProofVerifier} turns into {@code CHECKPOINT_UNAVAILABLE}: an
 * unreachable node must never look like "verified" nor like "not anchored".
 */
public final class ChainCheckpointSource implements CheckpointSource {

    private final LedgerReader ledger;
    /**
     * Checkpoints found, by tree size. A walk asks for the same few sizes thousands of times; an
     * anchored checkpoint never changes (the contract only appends), so caching hits is safe. Misses are
     * not cached: a size may be anchored a moment later.
     */
    private final Map<Long, OnChainCheckpoint> found = new ConcurrentHashMap<>();

    public ChainCheckpointSource(LedgerReader ledger) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    @Override
    public Optional<byte[]> anchoredRoot(long treeSize) {
        return checkpoint(treeSize).map(OnChainCheckpoint::root);
    }

    /** The checkpoint of exactly this size on the configured contract (with its block), if anchored. */
    public Optional<OnChainCheckpoint> checkpoint(long treeSize) {
        OnChainCheckpoint cached = found.get(treeSize);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<OnChainCheckpoint> read;
        try {
            read = ledger.checkpointBySize(treeSize);
        } catch (LedgerException e) {
            throw new CheckpointUnavailableException(
                    "checkpoint unavailable: cannot read contract " + ledger.contractAddress() + ": " + e.getMessage(),
                    e);
        }
        read.ifPresent(c -> found.put(treeSize, c));
        return read;
    }

    /** The contract this source reads, as the auditor configured it. */
    public String contractAddress() {
        return ledger.contractAddress();
    }

    /** The chain could not be read; says nothing about whether the proof is good. */
    public static final class CheckpointUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public CheckpointUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
