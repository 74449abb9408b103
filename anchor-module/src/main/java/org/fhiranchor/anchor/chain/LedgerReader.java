package org.fhiranchor.anchor.chain;

import java.util.Optional;

/**
 * Read-only view of the anchoring contract: what a verifier needs, no key required. All methods
 * throw {@link LedgerException} subclasses on failure.
 */
public interface LedgerReader extends AutoCloseable {

    /** The chain and the contract this reader reads. */
    ContractLocation location();

    /** The chain id the node reports (EIP-155). */
    default long chainId() {
        return location().chainId();
    }

    /** The contract address, 0x-prefixed, lower case. */
    default String contractAddress() {
        return location().address();
    }

    /** The checkpoint of exactly {@code treeSize} leaves, if one was anchored. */
    Optional<OnChainCheckpoint> checkpointBySize(long treeSize);

    /** The most recent checkpoint, if any. */
    Optional<OnChainCheckpoint> latestCheckpoint();

    /** Number of checkpoints anchored so far. */
    long checkpointCount();

    /** The leaf hash anchored on its own for {@code leafIndex} (per-version mode), if any. */
    Optional<byte[]> leafAt(long leafIndex);

    /** The latest decision recorded for the consent with this keyed hash, if any. */
    Optional<OnChainConsentDecision> latestConsentDecision(byte[] consentKey);

    /**
     * The decision recorded for this consent key at exactly {@code consentVersion}, if any: the latest one
     * when it has that version, else the {@code ConsentDecisionRecorded} event of that version (the
     * contract keeps only the latest decision in storage). {@code blockNumber} is the block that recorded it.
     * The default answers from {@link #latestConsentDecision} only and throws UnsupportedOperationException
     * for a superseded version; implementations that can read events override it.
     */
    default Optional<OnChainConsentDecision> consentDecision(byte[] consentKey, long consentVersion) {
        Optional<OnChainConsentDecision> latest = latestConsentDecision(consentKey);
        if (latest.isEmpty() || latest.get().consentVersion() < consentVersion) {
            return Optional.empty();
        }
        if (latest.get().consentVersion() == consentVersion) {
            return latest;
        }
        throw new UnsupportedOperationException("this reader cannot read superseded consent decisions");
    }

    /** The current block number. */
    long blockNumber();

    /**
     * How many blocks confirm a record mined in {@code blockNumber}: 1 when it is in the latest
     * block, 0 if that block is not reached yet.
     */
    default long confirmations(long blockNumber) {
        long head = blockNumber();
        return head < blockNumber ? 0 : head - blockNumber + 1;
    }

    /** Releases the connection to the node. */
    @Override
    void close();
}
