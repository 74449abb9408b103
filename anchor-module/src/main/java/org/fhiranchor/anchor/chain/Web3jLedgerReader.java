package org.fhiranchor.anchor.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.fhiranchor.anchor.chain.generated.FhirAnchor;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.datatypes.Event;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.exceptions.ContractCallException;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/**
 * The reading half of {@link Web3jLedger}: contract calls ({@code eth_call}) and event queries on a FhirAnchor
 * contract through web3j, with no key. A node's empty answer (an address without code, e.g. after a
 * reorganisation removed the deployment) is reported as such.
 */
public final class Web3jLedgerReader implements LedgerReader {

    private final Web3j web3j;
    private final ContractLocation location;
    private final String contractAddress;
    private final FhirAnchor contract;

    Web3jLedgerReader(Web3j web3j, long chainId, String contractAddress, String fromAddress) {
        this.web3j = web3j;
        this.location = new ContractLocation(chainId, contractAddress);
        this.contractAddress = contractAddress;
        // Only used to encode calls and to run eth_call: sending goes through TransactionSender.
        this.contract = FhirAnchor.load(
                contractAddress, web3j, new ReadonlyTransactionManager(web3j, fromAddress), new DefaultGasProvider());
    }

    /** The contract wrapper, for encoding calls. */
    FhirAnchor contract() {
        return contract;
    }

    Web3j web3j() {
        return web3j;
    }

    /**
     * Refuses an address whose code is not exactly our contract's runtime bytecode: a server must not
     * anchor into (or a verifier trust) some other contract that happens to sit at a configured address.
     */
    public static void verifyDeployedCode(Web3j web3j, String contractAddress) {
        String code = TransactionSender.call(
                        () -> web3j.ethGetCode(contractAddress, DefaultBlockParameterName.LATEST)
                                .send(),
                        "eth_getCode")
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
    public ContractLocation location() {
        return location;
    }

    // ---- reads -------------------------------------------------------------------------------

    @Override
    public Optional<OnChainCheckpoint> checkpointBySize(long treeSize) {
        var result = read(contract.checkpointBySize(uint(treeSize, "treeSize")), "checkpointBySize");
        if (!result.component1()) {
            return Optional.empty();
        }
        return Optional.of(new OnChainCheckpoint(
                treeSize,
                result.component2(),
                result.component3().longValueExact(),
                result.component4().longValueExact()));
    }

    @Override
    public Optional<OnChainCheckpoint> latestCheckpoint() {
        var result = read(contract.latestCheckpoint(), "latestCheckpoint");
        if (!result.component1()) {
            return Optional.empty();
        }
        return Optional.of(new OnChainCheckpoint(
                result.component3().longValueExact(),
                result.component4(),
                result.component5().longValueExact(),
                result.component6().longValueExact()));
    }

    /** Checkpoint number {@code index} (zero-based), if it exists. */
    public Optional<OnChainCheckpoint> checkpointAt(long index) {
        if (index < 0 || index >= checkpointCount()) {
            return Optional.empty();
        }
        var result = read(contract.checkpointAt(BigInteger.valueOf(index)), "checkpointAt");
        return Optional.of(new OnChainCheckpoint(
                result.component1().longValueExact(),
                result.component2(),
                result.component3().longValueExact(),
                result.component4().longValueExact()));
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
        return Optional.of(new OnChainConsentDecision(
                r.component2().longValueExact(),
                r.component3(),
                r.component4(),
                ConsentStatus.fromOnChainCode(r.component5().intValueExact()),
                r.component6().longValueExact(),
                r.component7().longValueExact(),
                r.component8().longValueExact()));
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
        EthFilter filter = new EthFilter(
                DefaultBlockParameterName.EARLIEST,
                DefaultBlockParameter.valueOf(BigInteger.valueOf(latest.get().blockNumber())),
                contractAddress);
        filter.addSingleTopic(EventEncoder.encode(FhirAnchor.CONSENTDECISIONRECORDED_EVENT));
        filter.addSingleTopic(Numeric.toHexString(key));
        EthLog logs = TransactionSender.call(() -> web3j.ethGetLogs(filter).send(), "eth_getLogs");
        for (EthLog.LogResult<?> result : logs.getLogs()) {
            Log log = (Log) result.get();
            @SuppressWarnings("rawtypes")
            List<org.web3j.abi.datatypes.Type> values = org.web3j.abi.FunctionReturnDecoder.decode(
                    log.getData(), FhirAnchor.CONSENTDECISIONRECORDED_EVENT.getNonIndexedParameters());
            long version = ((BigInteger) values.get(0).getValue()).longValueExact();
            if (version == consentVersion) {
                return Optional.of(new OnChainConsentDecision(
                        version,
                        (byte[]) values.get(1).getValue(),
                        (Boolean) values.get(5).getValue(),
                        ConsentStatus.fromOnChainCode(
                                ((BigInteger) values.get(6).getValue()).intValueExact()),
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
                .getBlockNumber()
                .longValueExact();
    }

    /** Whether {@code account} is on the contract's writer allow-list. */
    public boolean isWriter(String account) {
        return read(contract.isWriter(account), "isWriter");
    }

    /** The contract's owner. */
    public String owner() {
        return read(contract.owner(), "owner");
    }

    @Override
    public void close() {
        web3j.shutdown();
    }

    // ---- plumbing ----------------------------------------------------------------------------

    /** The last log of {@code event} from this contract in [fromBlock, toBlock] whose indexed topics match. */
    Optional<AnchorReceipt> findLog(Event event, long fromBlock, long toBlock, String... indexedTopics) {
        EthFilter filter = new EthFilter(
                DefaultBlockParameter.valueOf(BigInteger.valueOf(fromBlock)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(toBlock)),
                contractAddress);
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
                        () -> web3j.ethGetTransactionReceipt(log.getTransactionHash())
                                .send(),
                        "eth_getTransactionReceipt")
                .getTransactionReceipt()
                .orElse(null);
        long gasUsed = receipt == null ? 0 : receipt.getGasUsed().longValueExact();
        return Optional.of(
                new AnchorReceipt(log.getTransactionHash(), log.getBlockNumber().longValueExact(), gasUsed, true));
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

    static long chainId(Web3j web3j) {
        return TransactionSender.call(() -> web3j.ethChainId().send(), "eth_chainId")
                .getChainId()
                .longValueExact();
    }

    static String topic(long value) {
        return Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(value), 64);
    }

    static BigInteger uint(long value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must not be negative: " + value);
        }
        return BigInteger.valueOf(value);
    }

    static String normalise(String address) {
        if (address == null || !address.matches("0x[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException("not an address: " + address);
        }
        return address.toLowerCase(Locale.ROOT);
    }
}
