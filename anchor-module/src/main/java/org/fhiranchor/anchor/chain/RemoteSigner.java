package org.fhiranchor.anchor.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.transaction.type.ITransaction;
import org.web3j.crypto.transaction.type.Transaction1559;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * Signs through a remote signer's JSON-RPC {@code eth_signTransaction} (Web3Signer's eth1 mode,
 * Clef's {@code --rpc} eth namespace, or any node with an unlocked account): the key never enters
 * this process. The signer is asked for exactly the transaction this process built; its answer
 * is the signed raw transaction, which this class checks is for the same nonce before returning.
 */
public final class RemoteSigner implements TransactionSigner, AutoCloseable {
    private final HttpService service;
    private final String url;
    private final String address;

    public RemoteSigner(String url, String address) {
        if (address == null || !address.matches("0x[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException("remote signer: not an address: " + address);
        }
        this.url = url;
        this.service = new HttpService(url);
        this.address = address.toLowerCase(Locale.ROOT);
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public String sign(RawTransaction transaction, long chainId) {
        ITransaction tx = transaction.getTransaction();
        Map<String, String> request = new LinkedHashMap<>();
        request.put("from", address);
        if (tx.getTo() != null && !tx.getTo().isEmpty()) {
            request.put("to", tx.getTo());
        }
        request.put("gas", hex(tx.getGasLimit()));
        request.put("value", hex(tx.getValue()));
        request.put(
                "data", tx.getData() == null || tx.getData().isEmpty() ? "0x" : Numeric.prependHexPrefix(tx.getData()));
        request.put("nonce", hex(tx.getNonce()));
        request.put("chainId", hex(BigInteger.valueOf(chainId)));
        if (tx instanceof Transaction1559 typed) {
            request.put("type", "0x2");
            request.put("maxFeePerGas", hex(typed.getMaxFeePerGas()));
            request.put("maxPriorityFeePerGas", hex(typed.getMaxPriorityFeePerGas()));
        } else {
            request.put("gasPrice", hex(tx.getGasPrice()));
        }
        Response<?> response;
        try {
            response = new Request<>("eth_signTransaction", List.of(request), service, SignResponse.class).send();
        } catch (IOException e) {
            throw new LedgerUnavailableException("remote signer at " + url + " unreachable: " + e.getMessage(), e);
        }
        if (response.hasError()) {
            throw new LedgerUnavailableException(
                    "remote signer at " + url + " refused to sign: "
                            + response.getError().getMessage(),
                    null);
        }
        Object result = response.getResult();
        // Clef answers {raw, tx}; Web3Signer and nodes answer the raw transaction itself.
        String raw = result instanceof Map<?, ?> map ? (String) map.get("raw") : (String) result;
        if (raw == null || !raw.startsWith("0x")) {
            throw new LedgerUnavailableException("remote signer at " + url + " returned no signed transaction", null);
        }
        ITransaction signed = TransactionDecoder.decode(raw).getTransaction();
        if (!signed.getNonce().equals(tx.getNonce())
                || !Numeric.cleanHexPrefix(signed.getData()).equalsIgnoreCase(Numeric.cleanHexPrefix(tx.getData()))) {
            throw new LedgerUnavailableException(
                    "remote signer at " + url + " signed another transaction than asked", null);
        }
        return raw;
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            // nothing held that matters
        }
    }

    @Override
    public String toString() {
        return "RemoteSigner[" + address + " via " + url + "]";
    }

    private static String hex(BigInteger value) {
        return Numeric.toHexStringWithPrefix(value == null ? BigInteger.ZERO : value);
    }

    /** Untyped result: a string or (Clef) an object. */
    public static final class SignResponse extends Response<Object> {}
}
