package org.fhiranchor.anchor.chain;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.fhiranchor.anchor.chain.generated.FhirAnchor;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicStruct;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * {@link Ledger} on a FhirAnchor contract through web3j: the reads of a {@link Web3jLedgerReader}, and writes
 * signed by a local or remote key (see {@link TransactionSender} for nonces and retries), encoded by the
 * generated wrapper. Every instance checks on creation that the code at the
 * contract address is exactly the runtime bytecode this build ships.
 *
 * <p>The private key given to {@link #connect} is kept only inside web3j's {@link Credentials}; it is
 * never logged and never part of {@link #toString()}.
 */
public final class Web3jLedger implements Ledger {
    private static final String ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

    private final Web3jLedgerReader reader;
    private final TransactionSender senderOrNull;

    private Web3jLedger(Web3jLedgerReader reader, TransactionSender senderOrNull) {
        this.reader = reader;
        this.senderOrNull = senderOrNull;
    }

    /** A ledger that signs with {@code privateKeyHex}, on the contract at {@code contractAddress}. */
    public static Web3jLedger connect(LedgerSettings settings, String contractAddress, String privateKeyHex) {
        return connect(settings, contractAddress, LocalSigner.ofPrivateKey(privateKeyHex));
    }

    /** A ledger that signs with {@code signer} (a local key or a remote signer). */
    public static Web3jLedger connect(LedgerSettings settings, String contractAddress, TransactionSigner signer) {
        Web3j web3j = Web3j.build(new HttpService(settings.rpcUrl()));
        try {
            long chainId = Web3jLedgerReader.chainId(web3j);
            String address = Web3jLedgerReader.normalise(contractAddress);
            verifyDeployedCode(web3j, address);
            return new Web3jLedger(
                    new Web3jLedgerReader(web3j, chainId, address, signer.address()),
                    new TransactionSender(web3j, signer, chainId, settings));
        } catch (RuntimeException e) {
            web3j.shutdown();
            throw e;
        }
    }

    /** A read-only ledger for verifiers: no key, every write throws {@link UnsupportedOperationException}. */
    public static Web3jLedger readOnly(LedgerSettings settings, String contractAddress) {
        Web3j web3j = Web3j.build(new HttpService(settings.rpcUrl()));
        try {
            long chainId = Web3jLedgerReader.chainId(web3j);
            String address = Web3jLedgerReader.normalise(contractAddress);
            verifyDeployedCode(web3j, address);
            return new Web3jLedger(new Web3jLedgerReader(web3j, chainId, address, ZERO_ADDRESS), null);
        } catch (RuntimeException e) {
            web3j.shutdown();
            throw e;
        }
    }

    /** Deploys a new FhirAnchor contract; the key's account becomes its owner and first writer. */
    public static Deployment deploy(LedgerSettings settings, String privateKeyHex) {
        return deploy(settings, LocalSigner.ofPrivateKey(privateKeyHex));
    }

    /** Deploys a new FhirAnchor contract; the signer's account becomes its owner and first writer. */
    public static Deployment deploy(LedgerSettings settings, TransactionSigner signer) {
        Web3j web3j = Web3j.build(new HttpService(settings.rpcUrl()));
        try {
            TransactionSender sender = new TransactionSender(web3j, signer, Web3jLedgerReader.chainId(web3j), settings);
            TransactionSender.Outcome outcome = sender.send(
                    null, "0x" + ContractArtifacts.creationBytecode(), Optional::empty, "deploy FhirAnchor");
            TransactionReceipt receipt = outcome.receiptOrNull();
            String address = Web3jLedgerReader.normalise(receipt.getContractAddress());
            verifyDeployedCode(web3j, address);
            return new Deployment(address, outcome.anchorReceipt());
        } finally {
            web3j.shutdown();
        }
    }

    /**
     * Refuses an address whose code is not exactly our contract's runtime bytecode: a server must not
     * anchor into (or a verifier trust) some other contract that happens to sit at a configured address.
     */
    public static void verifyDeployedCode(Web3j web3j, String contractAddress) {
        Web3jLedgerReader.verifyDeployedCode(web3j, contractAddress);
    }

    /** The reading half alone. */
    public Web3jLedgerReader reader() {
        return reader;
    }

    // ---- reads: the reader's -----------------------------------------------------------------

    @Override
    public ContractLocation location() {
        return reader.location();
    }

    @Override
    public Optional<OnChainCheckpoint> checkpointBySize(long treeSize) {
        return reader.checkpointBySize(treeSize);
    }

    @Override
    public Optional<OnChainCheckpoint> latestCheckpoint() {
        return reader.latestCheckpoint();
    }

    /** Checkpoint number {@code index} (zero-based), if it exists. */
    public Optional<OnChainCheckpoint> checkpointAt(long index) {
        return reader.checkpointAt(index);
    }

    @Override
    public long checkpointCount() {
        return reader.checkpointCount();
    }

    @Override
    public Optional<byte[]> leafAt(long leafIndex) {
        return reader.leafAt(leafIndex);
    }

    @Override
    public Optional<OnChainConsentDecision> latestConsentDecision(byte[] consentKey) {
        return reader.latestConsentDecision(consentKey);
    }

    @Override
    public Optional<OnChainConsentDecision> consentDecision(byte[] consentKey, long consentVersion) {
        return reader.consentDecision(consentKey, consentVersion);
    }

    @Override
    public long blockNumber() {
        return reader.blockNumber();
    }

    /** Whether {@code account} is on the contract's writer allow-list. */
    public boolean isWriter(String account) {
        return reader.isWriter(account);
    }

    /** The contract's owner. */
    public String owner() {
        return reader.owner();
    }

    /** Transactions this ledger replaced with a higher fee or re-broadcast because they were not mined in time. */
    public long replacements() {
        return senderOrNull == null ? 0 : senderOrNull.replacements();
    }

    /** The address this ledger signs with, or empty for a read-only ledger. */
    public Optional<String> writerAddress() {
        return Optional.ofNullable(senderOrNull).map(TransactionSender::fromAddress);
    }

    // ---- writes ------------------------------------------------------------------------------

    @Override
    public AnchorReceipt submitCheckpoint(long treeSize, byte[] root, ArchiveRef archiveOrNull) {
        byte[] rootHash = Bytes32.copyOf(root, "root");
        if (treeSize < 1) {
            throw new IllegalArgumentException("treeSize must be at least 1, got " + treeSize);
        }
        if (archiveOrNull != null && archiveOrNull.toSize() > treeSize) {
            throw new IllegalArgumentException("archive ends after the checkpoint: " + archiveOrNull.toSize());
        }
        String data = reader.contract()
                .checkpoint(
                        Web3jLedgerReader.uint(treeSize, "treeSize"),
                        rootHash,
                        BigInteger.valueOf(archiveOrNull == null ? 0 : archiveOrNull.fromSize()),
                        BigInteger.valueOf(archiveOrNull == null ? 0 : archiveOrNull.toSize()),
                        archiveOrNull == null ? new byte[0] : archiveOrNull.cid())
                .encodeFunctionCall();
        return send(data, () -> checkpointAlreadyAnchored(treeSize, rootHash), "checkpoint " + treeSize);
    }

    /**
     * The checkpoint of this size already on chain, found by its {@code Checkpointed} log. The same
     * size with another root means two different logs claim one history: refuse loudly.
     */
    private Optional<AnchorReceipt> checkpointAlreadyAnchored(long treeSize, byte[] root) {
        Optional<OnChainCheckpoint> existing = checkpointBySize(treeSize);
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        if (!existing.get().hasRoot(root)) {
            throw new LedgerRevertedException(
                    LedgerRevertedException.CONFLICTING_RECORD,
                    "checkpoint " + treeSize + " is already anchored with a different root: " + existing.get());
        }
        long block = existing.get().blockNumber();
        return reader.findLog(FhirAnchor.CHECKPOINTED_EVENT, block, block, null, Web3jLedgerReader.topic(treeSize));
    }

    @Override
    public AnchorReceipt recordArchive(ArchiveRef archive) {
        String data = reader.contract()
                .recordArchive(
                        BigInteger.valueOf(archive.fromSize()), BigInteger.valueOf(archive.toSize()), archive.cid())
                .encodeFunctionCall();
        // Archived is an event only: a retry that lands twice repeats the event, which readers dedupe.
        return send(data, Optional::empty, "recordArchive " + archive.fromSize() + ".." + archive.toSize());
    }

    @Override
    public AnchorReceipt anchorLeaf(long leafIndex, byte[] leafHash) {
        byte[] hash = Bytes32.copyOf(leafHash, "leafHash");
        String data = reader.contract()
                .anchorLeaf(Web3jLedgerReader.uint(leafIndex, "leafIndex"), hash)
                .encodeFunctionCall();
        return send(data, () -> leafAlreadyAnchored(leafIndex, hash), "anchorLeaf " + leafIndex);
    }

    private Optional<AnchorReceipt> leafAlreadyAnchored(long leafIndex, byte[] hash) {
        Optional<byte[]> existing = leafAt(leafIndex);
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        if (!Arrays.equals(existing.get(), hash)) {
            throw new LedgerRevertedException(
                    LedgerRevertedException.CONFLICTING_RECORD,
                    "leaf " + leafIndex + " is already anchored with a different hash");
        }
        // The contract keeps no block per leaf; the indexed topic lets the node find the log.
        return reader.findLog(FhirAnchor.LEAFANCHORED_EVENT, 0, blockNumber(), Web3jLedgerReader.topic(leafIndex));
    }

    @Override
    public AnchorReceipt recordConsentDecision(ConsentDecision d) {
        String data = reader.contract()
                .recordConsentDecision(
                        d.consentKey(),
                        Web3jLedgerReader.uint(d.consentVersion(), "consentVersion"),
                        d.decisionHash(),
                        d.patientKey(),
                        d.granteeKeys(),
                        d.purposeCodes(),
                        d.permit(),
                        BigInteger.valueOf(d.status().onChainCode()),
                        Web3jLedgerReader.uint(d.periodStart(), "periodStart"),
                        Web3jLedgerReader.uint(d.periodEnd(), "periodEnd"))
                .encodeFunctionCall();
        return send(data, () -> consentAlreadyRecorded(d), "recordConsentDecision v" + d.consentVersion());
    }

    /**
     * One {@code recordConsentDecisions} transaction for the whole batch. Already landed (an
     * earlier attempt) when every decision of the batch is the latest or an older version on chain.
     */
    @Override
    public AnchorReceipt recordConsentDecisions(List<ConsentDecision> decisions) {
        if (decisions.isEmpty()) {
            throw new IllegalArgumentException("no decisions");
        }
        if (decisions.size() == 1) {
            return recordConsentDecision(decisions.get(0)); // ~1,200 gas cheaper than a batch of one
        }
        List<DynamicStruct> inputs = new java.util.ArrayList<>();
        for (ConsentDecision d : decisions) {
            inputs.add(new DynamicStruct(
                    new org.web3j.abi.datatypes.generated.Bytes32(d.consentKey()),
                    new Uint64(Web3jLedgerReader.uint(d.consentVersion(), "consentVersion")),
                    new org.web3j.abi.datatypes.generated.Bytes32(d.decisionHash()),
                    new org.web3j.abi.datatypes.generated.Bytes32(d.patientKey()),
                    bytes32Array(d.granteeKeys()),
                    bytes32Array(d.purposeCodes()),
                    new Bool(d.permit()),
                    new Uint8(d.status().onChainCode()),
                    new Uint64(Web3jLedgerReader.uint(d.periodStart(), "periodStart")),
                    new Uint64(Web3jLedgerReader.uint(d.periodEnd(), "periodEnd"))));
        }
        String data = FunctionEncoder.encode(new org.web3j.abi.datatypes.Function(
                "recordConsentDecisions", List.of(new DynamicArray<>(DynamicStruct.class, inputs)), List.of()));
        ConsentDecision last = decisions.get(decisions.size() - 1);
        return send(
                data,
                () -> batchAlreadyRecorded(decisions),
                "recordConsentDecisions x" + decisions.size() + " (last v" + last.consentVersion() + ")");
    }

    private Optional<AnchorReceipt> batchAlreadyRecorded(List<ConsentDecision> decisions) {
        for (ConsentDecision d : decisions) {
            Optional<OnChainConsentDecision> latest = latestConsentDecision(d.consentKey());
            if (latest.isEmpty() || latest.get().consentVersion() < d.consentVersion()) {
                return Optional.empty();
            }
        }
        return consentAlreadyRecorded(decisions.get(decisions.size() - 1))
                .or(() -> Optional.of(new AnchorReceipt(null, -1, 0, true)));
    }

    private static DynamicArray<org.web3j.abi.datatypes.generated.Bytes32> bytes32Array(List<byte[]> values) {
        return new DynamicArray<>(
                org.web3j.abi.datatypes.generated.Bytes32.class,
                values.stream()
                        .map(org.web3j.abi.datatypes.generated.Bytes32::new)
                        .toList());
    }

    private Optional<AnchorReceipt> consentAlreadyRecorded(ConsentDecision d) {
        Optional<OnChainConsentDecision> latest = latestConsentDecision(d.consentKey());
        if (latest.isEmpty() || !latest.get().matches(d)) {
            return Optional.empty();
        }
        long block = latest.get().blockNumber();
        return reader.findLog(
                FhirAnchor.CONSENTDECISIONRECORDED_EVENT, block, block, Numeric.toHexString(d.consentKey()));
    }

    /** Adds {@code account} to the writer allow-list (owner only). */
    public AnchorReceipt addWriter(String account) {
        return send(reader.contract().addWriter(account).encodeFunctionCall(), Optional::empty, "addWriter " + account);
    }

    /** Removes {@code account} from the writer allow-list (owner only). */
    public AnchorReceipt removeWriter(String account) {
        return send(
                reader.contract().removeWriter(account).encodeFunctionCall(),
                Optional::empty,
                "removeWriter " + account);
    }

    /** Hands ownership to {@code newOwner} (owner only). */
    public AnchorReceipt transferOwnership(String newOwner) {
        return send(
                reader.contract().transferOwnership(newOwner).encodeFunctionCall(),
                Optional::empty,
                "transferOwnership " + newOwner);
    }

    @Override
    public void close() {
        reader.close();
    }

    @Override
    public String toString() {
        return "Web3jLedger[chainId=" + chainId() + ", contract=" + contractAddress() + ", writer="
                + writerAddress().orElse("none (read-only)") + "]";
    }

    // ---- plumbing ----------------------------------------------------------------------------

    private AnchorReceipt send(
            String data, java.util.function.Supplier<Optional<AnchorReceipt>> alreadyLanded, String what) {
        if (senderOrNull == null) {
            throw new UnsupportedOperationException("read-only ledger cannot " + what);
        }
        return senderOrNull.send(contractAddress(), data, alreadyLanded, what).anchorReceipt();
    }
}
