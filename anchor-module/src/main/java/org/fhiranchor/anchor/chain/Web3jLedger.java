package org.fhiranchor.anchor.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.fhiranchor.anchor.chain.generated.FhirAnchor;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicStruct;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.abi.datatypes.Event;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.exceptions.ContractCallException;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/**
 * {@link Ledger} on a FhirAnchor contract through web3j: one {@link Web3j} per endpoint, a local key
 * for signing (see {@link TransactionSender} for nonces and retries), and the generated wrapper for
 * encoding calls and decoding results. Every instance checks on creation that the code at the
 * contract address is exactly the runtime bytecode this build ships.
 *
 * <p>The private key given to {@link #connect} is kept only inside web3j's {@link Credentials}; it is
 * never logged and never part of {@link #toString()}.
 */
public final class Web3jLedger implements Ledger {
    private static final String ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

    private final Web3j web3j;
    private final long chainId;
    private final String contractAddress;
    private final FhirAnchor contract;
    private final TransactionSender senderOrNull;

    private Web3jLedger(Web3j web3j, long chainId, String contractAddress, String fromAddress,
            TransactionSender senderOrNull) {
        this.web3j = web3j;
        this.chainId = chainId;
        this.contractAddress = contractAddress;
        this.senderOrNull = senderOrNull;
        // Only used to encode calls and to run eth_call: sending goes through TransactionSender.
        this.contract = FhirAnchor.load(contractAddress, web3j,
                new ReadonlyTransactionManager(web3j, fromAddress), new DefaultGasProvider());
    }

    /** A ledger that signs with {@code privateKeyHex}, on the contract at {@code contractAddress}. */
    public static Web3jLedger connect(LedgerSettings settings, String contractAddress, String privateKeyHex) {
        return connect(settings, contractAddress, LocalSigner.ofPrivateKey(privateKeyHex));
    }

    /** A ledger that signs with {@code signer} (a local key or a remote signer). */
    public static Web3jLedger connect(LedgerSettings settings, String contractAddress, TransactionSigner signer) {
        Web3j web3j = Web3j.build(new HttpService(settings.rpcUrl()));
        try {
            long chainId = chainId(web3j);
            String address = normalise(contractAddress);
            verifyDeployedCode(web3j, address);
            return new Web3jLedger(web3j, chainId, address, signer.address(),
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
            long chainId = chainId(web3j);
            String address = normalise(contractAddress);
            verifyDeployedCode(web3j, address);
            return new Web3jLedger(web3j, chainId, address, ZERO_ADDRESS, null);
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
            TransactionSender sender = new TransactionSender(web3j, signer, chainId(web3j), settings);
            TransactionSender.Outcome outcome = sender.send(
                    null, "0x" + ContractArtifacts.creationBytecode(), Optional::empty, "deploy FhirAnchor");
            TransactionReceipt receipt = outcome.receiptOrNull();
            String address = normalise(receipt.getContractAddress());
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
        String code = TransactionSender.call(
                () -> web3j.ethGetCode(contractAddress, DefaultBlockParameterName.LATEST).send(), "eth_getCode")
                .getCode();
        String actual = Numeric.cleanHexPrefix(code == null ? "" : code).toLowerCase(Locale.ROOT);
        if (actual.isEmpty()) {
            throw ContractMismatchException.noCode(contractAddress);
        }
        if (!actual.equals(ContractArtifacts.runtimeBytecode())) {
            throw new ContractMismatchException("code at " + contractAddress + " (" + actual.length() / 2
                    + " bytes) is not the FhirAnchor runtime bytecode of this build");
        }
    }

    @Override
    public long chainId() {
        return chainId;
    }

    @Override
    public String contractAddress() {
        return contractAddress;
    }

    // ---- reads -------------------------------------------------------------------------------

    @Override
    public Optional<OnChainCheckpoint> checkpointBySize(long treeSize) {
        var result = read(contract.checkpointBySize(uint(treeSize, "treeSize")), "checkpointBySize");
        if (!result.component1()) {
            return Optional.empty();
        }
        return Optional.of(new OnChainCheckpoint(treeSize, result.component2(),
                result.component3().longValueExact(), result.component4().longValueExact()));
    }

    @Override
    public Optional<OnChainCheckpoint> latestCheckpoint() {
        var result = read(contract.latestCheckpoint(), "latestCheckpoint");
        if (!result.component1()) {
            return Optional.empty();
        }
        return Optional.of(new OnChainCheckpoint(result.component3().longValueExact(), result.component4(),
                result.component5().longValueExact(), result.component6().longValueExact()));
    }

    /** Checkpoint number {@code index} (zero-based), if it exists. */
    public Optional<OnChainCheckpoint> checkpointAt(long index) {
        if (index < 0 || index >= checkpointCount()) {
            return Optional.empty();
        }
        var result = read(contract.checkpointAt(BigInteger.valueOf(index)), "checkpointAt");
        return Optional.of(new OnChainCheckpoint(result.component1().longValueExact(), result.component2(),
                result.component3().longValueExact(), result.component4().longValueExact()));
    }

    @Override
    public long checkpointCount() {
        return read(contract.checkpointCount(), "checkpointCount").longValueExact();
    }

    @Override
    public Optional<byte[]> leafAt(long leafIndex) {
        byte[] hash = read(contract.leafAt(uint(leafIndex, "leafIndex")), "leafAt");
        return Bytes32.isZero(hash) ? Optional.empty() : Optional.of(hash);
    }

    @Override
    public Optional<OnChainConsentDecision> latestConsentDecision(byte[] consentKey) {
        var r = read(contract.latestConsentDecision(Bytes32.copyOf(consentKey, "consentKey")), "latestConsentDecision");
        if (!r.component1()) {
            return Optional.empty();
        }
        return Optional.of(new OnChainConsentDecision(r.component2().longValueExact(), r.component3(),
                r.component4(), ConsentStatus.fromOnChainCode(r.component5().intValueExact()),
                r.component6().longValueExact(), r.component7().longValueExact(), r.component8().longValueExact()));
    }

    /**
     * The latest decision if it has this version; otherwise the {@code ConsentDecisionRecorded} event of
     * that version ({@code eth_getLogs} over the whole chain, topic 1 = the key).
     */
    @Override
    public Optional<OnChainConsentDecision> consentDecision(byte[] consentKey, long consentVersion) {
        byte[] key = Bytes32.copyOf(consentKey, "consentKey");
        Optional<OnChainConsentDecision> latest = latestConsentDecision(key);
        if (latest.isEmpty() || latest.get().consentVersion() < consentVersion) {
            return Optional.empty();
        }
        if (latest.get().consentVersion() == consentVersion) {
            return latest;
        }
        EthFilter filter = new EthFilter(DefaultBlockParameterName.EARLIEST,
                DefaultBlockParameter.valueOf(BigInteger.valueOf(latest.get().blockNumber())), contractAddress);
        filter.addSingleTopic(EventEncoder.encode(FhirAnchor.CONSENTDECISIONRECORDED_EVENT));
        filter.addSingleTopic(Numeric.toHexString(key));
        EthLog logs = TransactionSender.call(() -> web3j.ethGetLogs(filter).send(), "eth_getLogs");
        for (EthLog.LogResult<?> result : logs.getLogs()) {
            Log log = (Log) result.get();
            @SuppressWarnings("rawtypes")
            List<org.web3j.abi.datatypes.Type> values = org.web3j.abi.FunctionReturnDecoder.decode(log.getData(),
                    FhirAnchor.CONSENTDECISIONRECORDED_EVENT.getNonIndexedParameters());
            long version = ((BigInteger) values.get(0).getValue()).longValueExact();
            if (version == consentVersion) {
                return Optional.of(new OnChainConsentDecision(version, (byte[]) values.get(1).getValue(),
                        (Boolean) values.get(5).getValue(),
                        ConsentStatus.fromOnChainCode(((BigInteger) values.get(6).getValue()).intValueExact()),
                        ((BigInteger) values.get(7).getValue()).longValueExact(),
                        ((BigInteger) values.get(8).getValue()).longValueExact(),
                        log.getBlockNumber().longValueExact()));
            }
        }
        return Optional.empty();
    }

    @Override
    public long blockNumber() {
        return TransactionSender.call(() -> web3j.ethBlockNumber().send(), "eth_blockNumber")
                .getBlockNumber().longValueExact();
    }

    /** Whether {@code account} is on the contract's writer allow-list. */
    public boolean isWriter(String account) {
        return read(contract.isWriter(account), "isWriter");
    }

    /** The contract's owner. */
    public String owner() {
        return read(contract.owner(), "owner");
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
        String data = contract.checkpoint(uint(treeSize, "treeSize"), rootHash,
                BigInteger.valueOf(archiveOrNull == null ? 0 : archiveOrNull.fromSize()),
                BigInteger.valueOf(archiveOrNull == null ? 0 : archiveOrNull.toSize()),
                archiveOrNull == null ? new byte[0] : archiveOrNull.cid()).encodeFunctionCall();
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
            throw new LedgerRevertedException(LedgerRevertedException.CONFLICTING_RECORD,
                    "checkpoint " + treeSize + " is already anchored with a different root: " + existing.get());
        }
        long block = existing.get().blockNumber();
        return findLog(FhirAnchor.CHECKPOINTED_EVENT, block, block, null, topic(treeSize));
    }

    @Override
    public AnchorReceipt recordArchive(ArchiveRef archive) {
        String data = contract.recordArchive(BigInteger.valueOf(archive.fromSize()),
                BigInteger.valueOf(archive.toSize()), archive.cid()).encodeFunctionCall();
        // Archived is an event only: a retry that lands twice repeats the event, which readers dedupe.
        return send(data, Optional::empty, "recordArchive " + archive.fromSize() + ".." + archive.toSize());
    }

    @Override
    public AnchorReceipt anchorLeaf(long leafIndex, byte[] leafHash) {
        byte[] hash = Bytes32.copyOf(leafHash, "leafHash");
        String data = contract.anchorLeaf(uint(leafIndex, "leafIndex"), hash).encodeFunctionCall();
        return send(data, () -> leafAlreadyAnchored(leafIndex, hash), "anchorLeaf " + leafIndex);
    }

    private Optional<AnchorReceipt> leafAlreadyAnchored(long leafIndex, byte[] hash) {
        Optional<byte[]> existing = leafAt(leafIndex);
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        if (!Arrays.equals(existing.get(), hash)) {
            throw new LedgerRevertedException(LedgerRevertedException.CONFLICTING_RECORD,
                    "leaf " + leafIndex + " is already anchored with a different hash");
        }
        // The contract keeps no block per leaf; the indexed topic lets the node find the log.
        return findLog(FhirAnchor.LEAFANCHORED_EVENT, 0, blockNumber(), topic(leafIndex));
    }

    @Override
    public AnchorReceipt recordConsentDecision(ConsentDecision d) {
        String data = contract.recordConsentDecision(d.consentKey(), uint(d.consentVersion(), "consentVersion"),
                d.decisionHash(), d.patientKey(), d.granteeKeys(), d.purposeCodes(), d.permit(),
                BigInteger.valueOf(d.status().onChainCode()), uint(d.periodStart(), "periodStart"),
                uint(d.periodEnd(), "periodEnd")).encodeFunctionCall();
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
                    new Uint64(uint(d.consentVersion(), "consentVersion")),
                    new org.web3j.abi.datatypes.generated.Bytes32(d.decisionHash()),
                    new org.web3j.abi.datatypes.generated.Bytes32(d.patientKey()),
                    bytes32Array(d.granteeKeys()),
                    bytes32Array(d.purposeCodes()),
                    new Bool(d.permit()),
                    new Uint8(d.status().onChainCode()),
                    new Uint64(uint(d.periodStart(), "periodStart")),
                    new Uint64(uint(d.periodEnd(), "periodEnd"))));
        }
        String data = FunctionEncoder.encode(new org.web3j.abi.datatypes.Function("recordConsentDecisions",
                List.of(new DynamicArray<>(DynamicStruct.class, inputs)), List.of()));
        ConsentDecision last = decisions.get(decisions.size() - 1);
        return send(data, () -> batchAlreadyRecorded(decisions),
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
        return new DynamicArray<>(org.web3j.abi.datatypes.generated.Bytes32.class,
                values.stream().map(org.web3j.abi.datatypes.generated.Bytes32::new).toList());
    }

    private Optional<AnchorReceipt> consentAlreadyRecorded(ConsentDecision d) {
        Optional<OnChainConsentDecision> latest = latestConsentDecision(d.consentKey());
        if (latest.isEmpty() || !latest.get().matches(d)) {
            return Optional.empty();
        }
        long block = latest.get().blockNumber();
        return findLog(FhirAnchor.CONSENTDECISIONRECORDED_EVENT, block, block, Numeric.toHexString(d.consentKey()));
    }

    /** Adds {@code account} to the writer allow-list (owner only). */
    public AnchorReceipt addWriter(String account) {
        return send(contract.addWriter(account).encodeFunctionCall(), Optional::empty, "addWriter " + account);
    }

    /** Removes {@code account} from the writer allow-list (owner only). */
    public AnchorReceipt removeWriter(String account) {
        return send(contract.removeWriter(account).encodeFunctionCall(), Optional::empty, "removeWriter " + account);
    }

    /** Hands ownership to {@code newOwner} (owner only). */
    public AnchorReceipt transferOwnership(String newOwner) {
        return send(contract.transferOwnership(newOwner).encodeFunctionCall(), Optional::empty,
                "transferOwnership " + newOwner);
    }

    @Override
    public void close() {
        web3j.shutdown();
    }

    @Override
    public String toString() {
        return "Web3jLedger[chainId=" + chainId + ", contract=" + contractAddress + ", writer="
                + writerAddress().orElse("none (read-only)") + "]";
    }

    // ---- plumbing ----------------------------------------------------------------------------

    private AnchorReceipt send(String data, java.util.function.Supplier<Optional<AnchorReceipt>> alreadyLanded,
            String what) {
        if (senderOrNull == null) {
            throw new UnsupportedOperationException("read-only ledger cannot " + what);
        }
        return senderOrNull.send(contractAddress, data, alreadyLanded, what).anchorReceipt();
    }

    /** The last log of {@code event} from this contract in [fromBlock, toBlock] whose indexed topics match. */
    private Optional<AnchorReceipt> findLog(Event event, long fromBlock, long toBlock, String... indexedTopics) {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(fromBlock)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(toBlock)), contractAddress);
        filter.addSingleTopic(EventEncoder.encode(event));
        for (String topic : indexedTopics) {
            if (topic == null) {
                filter.addNullTopic();
            } else {
                filter.addSingleTopic(topic);
            }
        }
        EthLog logs = TransactionSender.call(() -> web3j.ethGetLogs(filter).send(), "eth_getLogs");
        List<EthLog.LogResult> results = logs.getLogs();
        if (results.isEmpty()) {
            // Stored but no log visible (e.g. a node that pruned logs): still anchored, receipt unknown.
            return Optional.of(new AnchorReceipt(null, fromBlock == toBlock ? fromBlock : -1, 0, true));
        }
        Log log = (Log) results.get(results.size() - 1).get();
        TransactionReceipt receipt = TransactionSender.call(
                () -> web3j.ethGetTransactionReceipt(log.getTransactionHash()).send(), "eth_getTransactionReceipt")
                .getTransactionReceipt().orElse(null);
        long gasUsed = receipt == null ? 0 : receipt.getGasUsed().longValueExact();
        return Optional.of(new AnchorReceipt(log.getTransactionHash(), log.getBlockNumber().longValueExact(),
                gasUsed, true));
    }

    private <T> T read(org.web3j.protocol.core.RemoteFunctionCall<T> call, String what) {
        return read(call::send, what);
    }

    /**
     * Runs a contract read. An empty answer ("0x") is what a node gives for an address without
     * code: after a reorganisation removed the deployment, say. That is reported as such, not as
     * the decoding error web3j would throw.
     */
    private <T> T read(Callable<T> call, String what) {
        T result;
        try {
            result = call.call();
        } catch (IOException e) {
            throw new LedgerUnavailableException(what + ": node unreachable (" + e + ")", e);
        } catch (ContractCallException e) {
            verifyDeployedCode(web3j, contractAddress); // "empty value" from an address without code
            throw new LedgerRevertedException("unknown", what + " reverted: " + e.getMessage());
        } catch (IndexOutOfBoundsException e) {
            verifyDeployedCode(web3j, contractAddress);
            throw new LedgerUnavailableException(what + ": empty answer from the node", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new LedgerUnavailableException(what + " failed: " + e, e);
        }
        if (result == null) {
            verifyDeployedCode(web3j, contractAddress);
            throw new LedgerUnavailableException(what + ": empty answer from the node", null);
        }
        return result;
    }

    private static long chainId(Web3j web3j) {
        return TransactionSender.call(() -> web3j.ethChainId().send(), "eth_chainId").getChainId().longValueExact();
    }

    private static String topic(long value) {
        return Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(value), 64);
    }

    private static BigInteger uint(long value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must not be negative: " + value);
        }
        return BigInteger.valueOf(value);
    }

    private static String normalise(String address) {
        if (address == null || !address.matches("0x[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException("not an address: " + address);
        }
        return address.toLowerCase(Locale.ROOT);
    }
}
