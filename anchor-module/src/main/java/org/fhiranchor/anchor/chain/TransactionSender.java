package org.fhiranchor.anchor.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Signs, sends and waits, with rules that make retries safe on a real network:
 * <ul>
 * <li>Every transaction of one call uses one nonce. While it has no receipt, it is re-sent every
 *     {@link FeePolicy#replaceAfter()} with fees raised by {@link FeePolicy#bumpPercent()} (within
 *     the caps), or, at the caps, re-broadcast unchanged (a transaction the node dropped comes
 *     back). Whichever of these same-nonce transactions is mined, only one can be.</li>
 * <li>Before sending, and whenever a wait brings no receipt, the caller's {@code alreadyLanded}
 *     check asks whether the record is on chain anyway (an earlier attempt, another process, a
 *     receipt we missed); then nothing more is sent.</li>
 * <li>The nonce is read from the node ({@code pending}) for every new call, so a dropped
 *     transaction never leaves a gap; "nonce too low" for a nonce none of our transactions took
 *     means another sender used it: the call signs once more with a fresh nonce.</li>
 * </ul>
 * Sends are serialised per instance.
 */
final class TransactionSender {
    /** Gas estimates are exact for the state they ran against; a new checkpoint can cost a bit more. */
    private static final int GAS_MARGIN_PERCENT = 25;

    private static final BigInteger DEFAULT_TIP = BigInteger.valueOf(1_000_000_000L);

    private final Web3j web3j;
    private final TransactionSigner signer;
    private final long chainId;
    private final LedgerSettings settings;
    private final Object lock = new Object();
    private final java.util.concurrent.atomic.AtomicLong replacements = new java.util.concurrent.atomic.AtomicLong();

    /** A transaction's outcome: a fresh receipt, or the record found already on chain. */
    record Outcome(TransactionReceipt receiptOrNull, AnchorReceipt anchorReceipt) {}

    TransactionSender(Web3j web3j, Credentials credentials, long chainId, LedgerSettings settings) {
        this(web3j, new LocalSigner(credentials), chainId, settings);
    }

    TransactionSender(Web3j web3j, TransactionSigner signer, long chainId, LedgerSettings settings) {
        this.web3j = web3j;
        this.signer = signer;
        this.chainId = chainId;
        this.settings = settings;
    }

    String fromAddress() {
        return signer.address();
    }

    /** Transactions replaced (fee bump) or re-broadcast since this sender was made. */
    long replacements() {
        return replacements.get();
    }

    /**
     * Sends {@code data} to {@code to} (null deploys a contract) and waits for the configured
     * confirmations.
     */
    Outcome send(String to, String data, Supplier<Optional<AnchorReceipt>> alreadyLanded, String what) {
        synchronized (lock) {
            Optional<AnchorReceipt> existing = alreadyLanded.get();
            if (existing.isPresent()) {
                return new Outcome(null, existing.get());
            }
            BigInteger gasLimit;
            try {
                gasLimit = estimateGas(to, data, what);
            } catch (LedgerRevertedException e) {
                // Someone (or our own earlier attempt) may have landed the record between the check
                // and the estimate: "not increasing" with the same record on chain is success.
                existing = alreadyLanded.get();
                if (existing.isPresent()) {
                    return new Outcome(null, existing.get());
                }
                throw e;
            }
            // At most two nonces: the second only if the first was taken by another transaction from
            // the same key (another process, or a wallet), never for a timeout.
            List<String> hashes = new ArrayList<>();
            for (int signing = 1; signing <= 2; signing++) {
                Attempt attempt = new Attempt(to, data, gasLimit, nonce(), what);
                Optional<Outcome> outcome = attempt.run(hashes, alreadyLanded);
                if (outcome.isPresent()) {
                    return outcome.get();
                }
                if (!attempt.nonceTaken) {
                    break;
                }
            }
            String last = hashes.isEmpty() ? null : hashes.get(hashes.size() - 1);
            long waited = settings.receiptTimeout().toMillis() * settings.sendAttempts();
            throw new LedgerTimeoutException(
                    what + ": no receipt for " + hashes.size() + " transaction(s), last " + last + ", after " + waited
                            + " ms",
                    last);
        }
    }

    /** One nonce: send, then replace or re-broadcast until a receipt, the record on chain, or the deadline. */
    private final class Attempt {
        private final String to;
        private final String data;
        private final BigInteger gasLimit;
        private final BigInteger nonce;
        private final String what;
        private boolean nonceTaken;

        Attempt(String to, String data, BigInteger gasLimit, BigInteger nonce, String what) {
            this.to = to;
            this.data = data;
            this.gasLimit = gasLimit;
            this.nonce = nonce;
            this.what = what;
        }

        Optional<Outcome> run(List<String> allHashes, Supplier<Optional<AnchorReceipt>> alreadyLanded) {
            List<String> hashes = new ArrayList<>();
            FeePolicy policy = settings.fees();
            BigInteger baseFee = baseFee();
            FeePolicy.Offer offer = policy.initial(baseFee, baseFee == null ? gasPrice() : suggestedTip());
            String signed = sign(offer);
            hashes.add(Hash.sha3(signed));
            allHashes.add(hashes.get(0));
            SendResult result = broadcast(signed);
            long deadline = System.nanoTime() + settings.receiptTimeout().toNanos() * settings.sendAttempts();
            long nextReplacement = System.nanoTime() + policy.replaceAfter().toNanos();
            while (true) {
                TransactionReceipt receipt = anyReceipt(hashes);
                if (receipt != null) {
                    return Optional.of(mined(receipt, to, data, alreadyLanded, what));
                }
                if (result == SendResult.NONCE_TAKEN) {
                    // Mined meanwhile (ours: the receipt shows up), or another transaction took the nonce.
                    receipt = anyReceipt(hashes);
                    if (receipt != null) {
                        return Optional.of(mined(receipt, to, data, alreadyLanded, what));
                    }
                    nonceTaken = true;
                    return checkQuietly(alreadyLanded).map(found -> new Outcome(null, found));
                }
                long now = System.nanoTime();
                if (now - deadline > 0) {
                    return checkQuietly(alreadyLanded).map(found -> new Outcome(null, found));
                }
                if (now - nextReplacement > 0) {
                    Optional<AnchorReceipt> landed = checkQuietly(alreadyLanded);
                    if (landed.isPresent()) {
                        return Optional.of(new Outcome(null, landed.get()));
                    }
                    FeePolicy.Offer bumped = policy.bump(offer, baseFeeQuietly());
                    if (bumped != null) {
                        String replacement = sign(bumped);
                        SendResult replaced = broadcast(replacement);
                        if (replaced != SendResult.FEE_TOO_LOW) {
                            offer = bumped;
                            signed = replacement;
                            hashes.add(Hash.sha3(signed));
                            allHashes.add(hashes.get(hashes.size() - 1));
                            result = replaced;
                        }
                    } else {
                        result = broadcast(signed); // at the caps: only bring it back if the node dropped it
                    }
                    replacements.incrementAndGet();
                    nextReplacement = now + policy.replaceAfter().toNanos();
                }
                sleep(settings.pollInterval());
            }
        }

        private String sign(FeePolicy.Offer offer) {
            RawTransaction tx;
            if (offer.legacy()) {
                tx = to == null
                        ? RawTransaction.createContractTransaction(
                                nonce, offer.maxFee(), gasLimit, BigInteger.ZERO, data)
                        : RawTransaction.createTransaction(nonce, offer.maxFee(), gasLimit, to, data);
            } else {
                tx = RawTransaction.createTransaction(
                        chainId,
                        nonce,
                        gasLimit,
                        to == null ? "" : to,
                        BigInteger.ZERO,
                        data,
                        offer.maxPriorityFee(),
                        offer.maxFee());
            }
            return signer.sign(tx, chainId);
        }

        private SendResult broadcast(String signed) {
            return sendRaw(signed, what);
        }
    }

    private TransactionReceipt anyReceipt(List<String> hashes) {
        for (String hash : hashes) {
            TransactionReceipt receipt = receiptNow(hash);
            if (receipt != null) {
                return receipt;
            }
        }
        return null;
    }

    private Outcome mined(
            TransactionReceipt receipt,
            String to,
            String data,
            Supplier<Optional<AnchorReceipt>> alreadyLanded,
            String what) {
        if (!receipt.isStatusOK()) {
            // Lost a race (another writer, or our own earlier send) or a real revert: the chain decides.
            Optional<AnchorReceipt> existing = alreadyLanded.get();
            if (existing.isPresent()) {
                return new Outcome(null, existing.get());
            }
            ContractErrors.Decoded reason = revertReason(to, data, receipt.getBlockNumber());
            throw new LedgerRevertedException(
                    reason.name(), what + " reverted in " + receipt.getTransactionHash() + ": " + reason.text());
        }
        awaitConfirmations(receipt);
        return new Outcome(
                receipt,
                new AnchorReceipt(
                        receipt.getTransactionHash(),
                        receipt.getBlockNumber().longValueExact(),
                        receipt.getGasUsed().longValueExact(),
                        false));
    }

    private BigInteger estimateGas(String to, String data, String what) {
        EthEstimateGas estimate = callRaw(
                () -> web3j.ethEstimateGas(
                                Transaction.createFunctionCallTransaction(fromAddress(), null, null, null, to, data))
                        .send(),
                what);
        if (estimate.hasError()) {
            throw rejected(estimate.getError(), what);
        }
        BigInteger gas = estimate.getAmountUsed();
        return gas.add(gas.multiply(BigInteger.valueOf(GAS_MARGIN_PERCENT)).divide(BigInteger.valueOf(100)));
    }

    private BigInteger gasPrice() {
        return call(() -> web3j.ethGasPrice().send(), "eth_gasPrice").getGasPrice();
    }

    /** The latest block's base fee, or null on a chain without EIP-1559. */
    private BigInteger baseFee() {
        var block = call(
                        () -> web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
                                .send(),
                        "eth_getBlockByNumber")
                .getBlock();
        return block == null || block.getBaseFeePerGasRaw() == null ? null : block.getBaseFeePerGas();
    }

    private BigInteger baseFeeQuietly() {
        try {
            return baseFee();
        } catch (LedgerUnavailableException e) {
            return null;
        }
    }

    /** The node's suggested tip ({@code eth_maxPriorityFeePerGas}), 1 gwei if it has none. */
    private BigInteger suggestedTip() {
        try {
            var response = web3j.ethMaxPriorityFeePerGas().send();
            if (!response.hasError() && response.getMaxPriorityFeePerGas() != null) {
                return response.getMaxPriorityFeePerGas();
            }
        } catch (IOException e) {
            // fall through to the default
        }
        return DEFAULT_TIP;
    }

    private BigInteger nonce() {
        // PENDING: a transaction of ours still in the pool keeps its nonce; one the node dropped frees it.
        return call(
                        () -> web3j.ethGetTransactionCount(fromAddress(), DefaultBlockParameterName.PENDING)
                                .send(),
                        "eth_getTransactionCount")
                .getTransactionCount();
    }

    private enum SendResult {
        ACCEPTED_OR_UNKNOWN,
        NONCE_TAKEN,
        FEE_TOO_LOW
    }

    private SendResult sendRaw(String signed, String what) {
        EthSendTransaction sent;
        try {
            sent = web3j.ethSendRawTransaction(signed).send();
        } catch (IOException e) {
            return SendResult.ACCEPTED_OR_UNKNOWN; // the node may or may not have it: waiting and re-checking decides
        }
        if (!sent.hasError()) {
            return SendResult.ACCEPTED_OR_UNKNOWN;
        }
        String message = sent.getError().getMessage().toLowerCase(Locale.ROOT);
        if (message.contains("already known")
                || message.contains("known transaction")
                || message.contains("already imported")
                || message.contains("already in")) {
            return SendResult.ACCEPTED_OR_UNKNOWN; // a re-send of a transaction the node has: keep waiting
        }
        if (message.contains("nonce too low") || message.contains("nonce is too low")) {
            return SendResult.NONCE_TAKEN; // mined already, or another transaction used the nonce
        }
        if (message.contains("underpriced")
                || message.contains("fee too low")
                || message.contains("less than block base fee")
                || message.contains("max fee per gas less than")) {
            return SendResult.FEE_TOO_LOW; // the previous transaction with this nonce stays: bump again later
        }
        throw new LedgerUnavailableException(
                what + ": node refused the transaction: " + sent.getError().getMessage(), null);
    }

    private TransactionReceipt receiptNow(String txHash) {
        try {
            return web3j.ethGetTransactionReceipt(txHash)
                    .send()
                    .getTransactionReceipt()
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private void awaitConfirmations(TransactionReceipt receipt) {
        if (settings.confirmations() <= 1) {
            return;
        }
        long target = receipt.getBlockNumber().longValueExact() + settings.confirmations() - 1;
        long deadline = System.nanoTime() + settings.receiptTimeout().toNanos();
        while (true) {
            long head = call(() -> web3j.ethBlockNumber().send(), "eth_blockNumber")
                    .getBlockNumber()
                    .longValueExact();
            if (head >= target) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new LedgerTimeoutException(
                        "transaction " + receipt.getTransactionHash() + " mined in block "
                                + receipt.getBlockNumber() + " but the chain reached only block " + head + " of "
                                + target
                                + " within " + settings.receiptTimeout().toSeconds() + " s",
                        receipt.getTransactionHash());
            }
            sleep(settings.pollInterval());
        }
    }

    private ContractErrors.Decoded revertReason(String to, String data, BigInteger blockNumber) {
        try {
            EthCall replay = web3j.ethCall(
                            Transaction.createEthCallTransaction(fromAddress(), to, data),
                            DefaultBlockParameter.valueOf(blockNumber))
                    .send();
            if (replay.hasError()) {
                return ContractErrors.decode(replay.getError().getData());
            }
        } catch (IOException e) {
            // fall through: the reason is a nicety, the revert itself is certain
        }
        return new ContractErrors.Decoded("unknown", "reverted (reason unavailable)");
    }

    private static LedgerException rejected(Response.Error error, String what) {
        String message = error.getMessage() == null ? "" : error.getMessage();
        String data = ContractErrors.revertData(error.getData());
        boolean reverted = (data != null && data.length() >= 10)
                || message.toLowerCase(Locale.ROOT).contains("revert");
        if (reverted) {
            ContractErrors.Decoded reason = ContractErrors.decode(data);
            return new LedgerRevertedException(reason.name(), what + " would revert: " + reason.text());
        }
        return new LedgerUnavailableException(what + ": node error " + error.getCode() + " " + message, null);
    }

    private static Optional<AnchorReceipt> checkQuietly(Supplier<Optional<AnchorReceipt>> alreadyLanded) {
        try {
            return alreadyLanded.get();
        } catch (LedgerUnavailableException e) {
            return Optional.empty();
        }
    }

    /** An RPC call whose transport failure means "node unavailable". */
    interface RpcCall<T> {
        T run() throws IOException;
    }

    /** Runs {@code rpc}; a transport failure or an RPC error both mean "node unavailable". */
    static <T extends Response<?>> T call(RpcCall<T> rpc, String what) {
        T response = callRaw(rpc, what);
        if (response.hasError()) {
            throw new LedgerUnavailableException(
                    what + ": node error " + response.getError().getCode() + " "
                            + response.getError().getMessage(),
                    null);
        }
        return response;
    }

    /** Runs {@code rpc}, leaving RPC errors to the caller; a transport failure means "node unavailable". */
    static <T extends Response<?>> T callRaw(RpcCall<T> rpc, String what) {
        try {
            return rpc.run();
        } catch (IOException e) {
            throw new LedgerUnavailableException(what + ": node unreachable (" + e + ")", e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerUnavailableException("interrupted while waiting for confirmations", e);
        }
    }
}
