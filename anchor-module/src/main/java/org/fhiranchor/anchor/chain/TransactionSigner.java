package org.fhiranchor.anchor.chain;

import org.web3j.crypto.RawTransaction;

/**
 * Signs the writer's transactions: a key held in this process ({@link LocalSigner}) or a remote
 * signer that keeps the key out of it ({@link RemoteSigner}).
 */
public interface TransactionSigner {

    /** The signing account, 0x-prefixed lower-case hex. */
    String address();

    /** The signed transaction, 0x-prefixed hex, ready for {@code eth_sendRawTransaction}. */
    String sign(RawTransaction transaction, long chainId);
}
