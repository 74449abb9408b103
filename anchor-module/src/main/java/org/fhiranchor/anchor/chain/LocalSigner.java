package org.fhiranchor.anchor.chain;

import java.util.Locale;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

/** Signs with a key held in this process (a hex key or an unlocked JSON keystore). Never logs it. */
public final class LocalSigner implements TransactionSigner {
    private final Credentials credentials;

    public LocalSigner(Credentials credentials) {
        this.credentials = credentials;
    }

    public static LocalSigner ofPrivateKey(String privateKeyHex) {
        return new LocalSigner(Credentials.create(privateKeyHex));
    }

    /** The key itself, for signing what is not a transaction (the deployment statement). */
    public Credentials credentials() {
        return credentials;
    }

    @Override
    public String address() {
        return credentials.getAddress().toLowerCase(Locale.ROOT);
    }

    @Override
    public String sign(RawTransaction transaction, long chainId) {
        // EIP-155 for legacy transactions; typed (EIP-1559) transactions carry the chain id themselves.
        byte[] signed = transaction.getTransaction().getType().isLegacy()
                ? TransactionEncoder.signMessage(transaction, chainId, credentials)
                : TransactionEncoder.signMessage(transaction, credentials);
        return Numeric.toHexString(signed);
    }

    @Override
    public String toString() {
        return "LocalSigner[" + address() + "]";
    }
}
