package org.fhiranchor.anchor.chain;

/**
 * The anchoring contract as the server's jobs see it. Every write is idempotent: if the same
 * record is already on chain (an earlier attempt landed), the call sends nothing and returns that
 * earlier transaction with {@link AnchorReceipt#alreadyAnchored()} set. Methods return once the
 * configured number of confirmations is reached and throw {@link LedgerException} subclasses.
 */
public interface Ledger extends LedgerReader {

    /**
     * Anchors the log head of {@code treeSize} leaves.
     *
     * @param treeSize number of leaves, greater than the latest anchored checkpoint's
     * @param root the RFC 9162 root hash, 32 bytes
     * @param archiveOrNull an archive of leaves up to at most {@code treeSize} to record with it, or null
     */
    AnchorReceipt submitCheckpoint(long treeSize, byte[] root, ArchiveRef archiveOrNull);

    /** Records an archive CID that became available after its checkpoint. */
    AnchorReceipt recordArchive(ArchiveRef archive);

    /** Anchors one leaf hash on its own (per-version mode); leaf indexes must increase. */
    AnchorReceipt anchorLeaf(long leafIndex, byte[] leafHash);

    /** Records a consent decision; versions must increase per consent key. */
    AnchorReceipt recordConsentDecision(ConsentDecision decision);

    /**
     * Records several consent decisions, in order, in as few transactions as the ledger can (one
     * for {@link Web3jLedger}). All or none: one refused decision refuses the batch. Decisions
     * already on chain must be left out by the caller. Returns the receipt of the (last) transaction.
     */
    default AnchorReceipt recordConsentDecisions(java.util.List<ConsentDecision> decisions) {
        if (decisions.isEmpty()) {
            throw new IllegalArgumentException("no decisions");
        }
        AnchorReceipt last = null;
        for (ConsentDecision decision : decisions) {
            last = recordConsentDecision(decision);
        }
        return last;
    }
}
