package org.fhiranchor.anchor.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
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
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.tx.response.TransactionReceiptProcessor;

/**
 * Signs locally, sends and waits, with one rule that makes retries safe: once a transaction is
 * signed, every retry re-sends the very same signed bytes (same nonce, same hash), so at most one
 * of them can ever be mined. Before sending and after every failed wait it asks the caller's
 * {@code alreadyLanded} check whether the record is on chain anyway (an earlier attempt, or a
 * receipt we missed), and then sends nothing.
 *
 * <p>Sends are serialised: the nonce is tracked here, read from the chain at first use and again
 * after any failure that leaves it in doubt.
 */
final class TransactionSender {
    /** Gas estimates are exact for the state they ran against; a new checkpoint can cost a bit more. */
    private static final int GAS_MARGIN_PERCENT = 25;

    private final Web3j web3j;
    private final Credentials credentials;
    private final LedgerSettings settings;
    private final RawTransactionManager signer;
    private final TransactionReceiptProcessor receipts;
    private final Object lock = new Object();
    private BigInteger nextNonce;

    /** A transaction's outcome: a fresh receipt, or the record found already on chain. */
    record Outcome(TransactionReceipt receiptOrNull, AnchorReceipt anchorReceipt) {}

    TransactionSender(Web3j web3j, Credentials credentials, long chainId, LedgerSettings settings) {
        this.web3j = web3j;
        this.credentials = credentials;
        this.settings = settings;
        long pollMillis = settings.pollInterval().toMillis();
        int attempts = (int) Math.max(1, settings.receiptTimeout().toMillis() / Math.max(1, pollMillis));
        this.receipts = new PollingTransactionReceiptProcessor(web3j, pollMillis, attempts);
        this.signer = new RawTransactionManager(web3j, credentials, chainId, receipts);
    }

    String fromAddress() {
        return credentials.getAddress();
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
            BigInteger gasPrice = gasPrice();
            // At most two signings: the second only if the first one's nonce was taken by another
            // transaction from the same key (another process, or a wallet), never for a timeout.
            String txHash = null;
            for (int signing = 1; signing <= 2; signing++) {
                BigInteger nonce = nonce();
                RawTransaction tx = to == null
                        ? RawTransaction.createContractTransaction(nonce, gasPrice, gasLimit, BigInteger.ZERO, data)
                        : RawTransaction.createTransaction(nonce, gasPrice, gasLimit, to, data);
                String signed = signer.sign(tx);
                txHash = Hash.sha3(signed);
                boolean nonceTaken = false;
                for (int attempt = 1; attempt <= settings.sendAttempts() && !nonceTaken; attempt++) {
                    SendResult result = sendRaw(signed, what);
                    TransactionReceipt receipt = result == SendResult.NONCE_TAKEN
                            ? receiptNow(txHash)
                            : waitForReceipt(txHash);
                    if (receipt != null) {
                        nextNonce = nonce.add(BigInteger.ONE);
                        return mined(receipt, to, data, alreadyLanded, what);
                    }
                    existing = checkQuietly(alreadyLanded);
                    if (existing.isPresent()) {
                        nextNonce = null; // someone else's or our transaction landed: re-read the nonce
                        return new Outcome(null, existing.get());
                    }
                    nonceTaken = result == SendResult.NONCE_TAKEN;
                }
                nextNonce = null;
                if (!nonceTaken) {
                    break;
                }
            }
            throw new LedgerTimeoutException(
                    what + ": no receipt for " + txHash + " after " + settings.sendAttempts() + " sends of "
                            + settings.receiptTimeout().toMillis() + " ms each", txHash);
        }
    }

    private Outcome mined(
            TransactionReceipt receipt, String to, String data, Supplier<Optional<AnchorReceipt>> alreadyLanded,
            String what) {
        if (!receipt.isStatusOK()) {
            // Lost a race (another writer, or our own earlier send) or a real revert: the chain decides.
            Optional<AnchorReceipt> existing = alreadyLanded.get();
            if (existing.isPresent()) {
                return new Outcome(null, existing.get());
            }
            ContractErrors.Decoded reason = revertReason(to, data, receipt.getBlockNumber());
            throw new LedgerRevertedException(reason.name(),
                    what + " reverted in " + receipt.getTransactionHash() + ": " + reason.text());
        }
        awaitConfirmations(receipt);
        return new Outcome(receipt, new AnchorReceipt(
                receipt.getTransactionHash(), receipt.getBlockNumber().longValueExact(),
                receipt.getGasUsed().longValueExact(), false));
    }

    private BigInteger estimateGas(String to, String data, String what) {
        EthEstimateGas estimate = callRaw(() -> web3j.ethEstimateGas(
                Transaction.createFunctionCallTransaction(fromAddress(), null, null, null, to, data)).send(), what);
        if (estimate.hasError()) {
            throw rejected(estimate.getError(), what);
        }
        BigInteger gas = estimate.getAmountUsed();
        return gas.add(gas.multiply(BigInteger.valueOf(GAS_MARGIN_PERCENT)).divide(BigInteger.valueOf(100)));
    }

    private BigInteger gasPrice() {
        return call(() -> web3j.ethGasPrice().send(), "eth_gasPrice").getGasPrice();
    }

    private BigInteger nonce() {
        if (nextNonce == null) {
            // PENDING: a transaction of ours still in the pool keeps its nonce.
            nextNonce = call(() -> web3j.ethGetTransactionCount(fromAddress(), DefaultBlockParameterName.PENDING)
                    .send(), "eth_getTransactionCount").getTransactionCount();
        }
        return nextNonce;
    }

    private enum SendResult { ACCEPTED_OR_UNKNOWN, NONCE_TAKEN }

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
        if (message.contains("already known") || message.contains("known transaction")
                || message.contains("already imported")) {
            return SendResult.ACCEPTED_OR_UNKNOWN; // a re-send of a transaction the node has: keep waiting
        }
        if (message.contains("nonce too low")) {
            return SendResult.NONCE_TAKEN; // mined already, or another transaction used the nonce
        }
        nextNonce = null;
        throw new LedgerUnavailableException(
                what + ": node refused the transaction: " + sent.getError().getMessage(), null);
    }

    private TransactionReceipt receiptNow(String txHash) {
        try {
            return web3j.ethGetTransactionReceipt(txHash).send().getTransactionReceipt().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** The receipt, or null if none arrived within the receipt timeout or the node was unreachable. */
    private TransactionReceipt waitForReceipt(String txHash) {
        try {
            return receipts.waitForTransactionReceipt(txHash);
        } catch (TransactionException | IOException e) {
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
            long head = call(() -> web3j.ethBlockNumber().send(), "eth_blockNumber").getBlockNumber().longValueExact();
            if (head >= target) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new LedgerTimeoutException("transaction " + receipt.getTransactionHash() + " mined in block "
                        + receipt.getBlockNumber() + " but the chain reached only block " + head + " of " + target
                        + " within " + settings.receiptTimeout().toSeconds() + " s", receipt.getTransactionHash());
            }
            sleep(settings.pollInterval());
        }
    }

    private ContractErrors.Decoded revertReason(String to, String data, BigInteger blockNumber) {
        try {
            EthCall replay = web3j.ethCall(Transaction.createEthCallTransaction(fromAddress(), to, data),
                    DefaultBlockParameter.valueOf(blockNumber)).send();
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
                    what + ": node error " + response.getError().getCode() + " " + response.getError().getMessage(), null);
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
