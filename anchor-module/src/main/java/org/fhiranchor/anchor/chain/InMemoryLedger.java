package org.fhiranchor.anchor.chain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link Ledger} in memory with the contract's rules (strictly increasing tree sizes, leaf indexes
 * and consent versions; archive ranges; idempotent retries), for unit tests of code above the port
 * and for demos without a chain. Each write is "mined" in a block of its own. Not persistent.
 */
public final class InMemoryLedger implements Ledger {
    private final ContractLocation location;
    private final List<OnChainCheckpoint> checkpoints = new ArrayList<>();
    private final List<String> checkpointTxHashes = new ArrayList<>();
    private final TreeMap<Long, byte[]> leaves = new TreeMap<>();
    private final Map<Long, AnchorReceipt> leafReceipts = new HashMap<>();
    private final Map<String, OnChainConsentDecision> consents = new HashMap<>();
    private final Map<String, AnchorReceipt> consentReceipts = new HashMap<>();
    /** Every decision recorded, by key and version: what the contract's events hold. */
    private final Map<String, TreeMap<Long, OnChainConsentDecision>> consentHistory = new HashMap<>();

    private final List<ArchiveRef> archives = new ArrayList<>();
    private long blockNumber;

    public InMemoryLedger() {
        this(31337, "0x0000000000000000000000000000000000a4c401");
    }

    public InMemoryLedger(long chainId, String contractAddress) {
        this.location = new ContractLocation(chainId, contractAddress);
    }

    @Override
    public ContractLocation location() {
        return location;
    }

    @Override
    public synchronized AnchorReceipt submitCheckpoint(long treeSize, byte[] root, ArchiveRef archiveOrNull) {
        byte[] rootHash = Bytes32.copyOf(root, "root");
        Optional<OnChainCheckpoint> existing = checkpointBySize(treeSize);
        if (existing.isPresent()) {
            if (!existing.get().hasRoot(rootHash)) {
                throw new LedgerRevertedException(
                        LedgerRevertedException.CONFLICTING_RECORD,
                        "checkpoint " + treeSize + " is already anchored with a different root");
            }
            int index = checkpoints.indexOf(existing.get());
            return new AnchorReceipt(
                    checkpointTxHashes.get(index), existing.get().blockNumber(), 0, true);
        }
        long latest = checkpoints.isEmpty()
                ? 0
                : checkpoints.get(checkpoints.size() - 1).treeSize();
        if (treeSize <= latest) {
            throw reverted("TreeSizeNotIncreasing(" + treeSize + ", " + latest + ")");
        }
        if (archiveOrNull != null && archiveOrNull.toSize() > treeSize) {
            throw reverted("InvalidArchiveRange(" + archiveOrNull.fromSize() + ", " + archiveOrNull.toSize() + ", "
                    + treeSize + ")");
        }
        AnchorReceipt receipt = mine();
        checkpoints.add(
                new OnChainCheckpoint(treeSize, rootHash, receipt.blockNumber(), System.currentTimeMillis() / 1000));
        checkpointTxHashes.add(receipt.txHash());
        if (archiveOrNull != null) {
            archives.add(archiveOrNull);
        }
        return receipt;
    }

    @Override
    public synchronized AnchorReceipt recordArchive(ArchiveRef archive) {
        long latest = checkpoints.isEmpty()
                ? 0
                : checkpoints.get(checkpoints.size() - 1).treeSize();
        if (archive.toSize() > latest) {
            throw reverted("InvalidArchiveRange(" + archive.fromSize() + ", " + archive.toSize() + ", " + latest + ")");
        }
        archives.add(archive);
        return mine();
    }

    @Override
    public synchronized AnchorReceipt anchorLeaf(long leafIndex, byte[] leafHash) {
        byte[] hash = Bytes32.copyOf(leafHash, "leafHash");
        byte[] existing = leaves.get(leafIndex);
        if (existing != null) {
            if (!Arrays.equals(existing, hash)) {
                throw new LedgerRevertedException(
                        LedgerRevertedException.CONFLICTING_RECORD,
                        "leaf " + leafIndex + " is already anchored with a different hash");
            }
            return leafReceipts.get(leafIndex);
        }
        long next = leaves.isEmpty() ? 0 : leaves.lastKey() + 1;
        if (leafIndex < next) {
            throw reverted("LeafIndexNotIncreasing(" + leafIndex + ", " + next + ")");
        }
        AnchorReceipt receipt = mine();
        leaves.put(leafIndex, hash);
        leafReceipts.put(leafIndex, new AnchorReceipt(receipt.txHash(), receipt.blockNumber(), 0, true));
        return receipt;
    }

    @Override
    public synchronized AnchorReceipt recordConsentDecision(ConsentDecision decision) {
        String key = HexFormat.of().formatHex(decision.consentKey());
        OnChainConsentDecision latest = consents.get(key);
        if (latest != null && latest.matches(decision)) {
            return consentReceipts.get(key);
        }
        if (latest != null && decision.consentVersion() <= latest.consentVersion()) {
            throw reverted("ConsentVersionNotIncreasing(0x" + key + ", " + decision.consentVersion() + ", "
                    + latest.consentVersion() + ")");
        }
        AnchorReceipt receipt = mine();
        OnChainConsentDecision recorded = new OnChainConsentDecision(
                decision.consentVersion(),
                decision.decisionHash(),
                decision.permit(),
                decision.status(),
                decision.periodStart(),
                decision.periodEnd(),
                receipt.blockNumber());
        consents.put(key, recorded);
        consentHistory.computeIfAbsent(key, k -> new TreeMap<>()).put(decision.consentVersion(), recorded);
        consentReceipts.put(key, new AnchorReceipt(receipt.txHash(), receipt.blockNumber(), 0, true));
        return receipt;
    }

    @Override
    public synchronized Optional<OnChainCheckpoint> checkpointBySize(long treeSize) {
        return checkpoints.stream().filter(c -> c.treeSize() == treeSize).findFirst();
    }

    @Override
    public synchronized Optional<OnChainCheckpoint> latestCheckpoint() {
        return checkpoints.isEmpty() ? Optional.empty() : Optional.of(checkpoints.get(checkpoints.size() - 1));
    }

    @Override
    public synchronized long checkpointCount() {
        return checkpoints.size();
    }

    @Override
    public synchronized Optional<byte[]> leafAt(long leafIndex) {
        return Optional.ofNullable(leaves.get(leafIndex)).map(byte[]::clone);
    }

    @Override
    public synchronized Optional<OnChainConsentDecision> latestConsentDecision(byte[] consentKey) {
        return Optional.ofNullable(consents.get(HexFormat.of().formatHex(Bytes32.copyOf(consentKey, "consentKey"))));
    }

    @Override
    public synchronized Optional<OnChainConsentDecision> consentDecision(byte[] consentKey, long consentVersion) {
        TreeMap<Long, OnChainConsentDecision> history =
                consentHistory.get(HexFormat.of().formatHex(Bytes32.copyOf(consentKey, "consentKey")));
        return history == null ? Optional.empty() : Optional.ofNullable(history.get(consentVersion));
    }

    /** Archives recorded so far, in order (the contract keeps them as events only). */
    public synchronized List<ArchiveRef> archives() {
        return List.copyOf(archives);
    }

    @Override
    public synchronized long blockNumber() {
        return blockNumber;
    }

    @Override
    public void close() {}

    private AnchorReceipt mine() {
        blockNumber++;
        return new AnchorReceipt(String.format("0x%064x", blockNumber), blockNumber, 0, false);
    }

    private static LedgerRevertedException reverted(String error) {
        return new LedgerRevertedException(error.substring(0, error.indexOf('(')), "would revert: " + error);
    }
}
