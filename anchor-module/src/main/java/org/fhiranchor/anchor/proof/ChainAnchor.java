package org.fhiranchor.anchor.proof;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the checkpoint that covers a proof sits on chain. Informational for the verifier, which asks its
 * own {@link CheckpointSource} (bound to a contract it trusts) for the root rather than trusting these.
 * Addresses and hashes are 0x-prefixed hex in either case (EIP-55 checksummed addresses are mixed case).
 */
public record ChainAnchor(long chainId, String contract, String txHash, long blockNumber) {

    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
    private static final Pattern TX_HASH = Pattern.compile("0x[0-9a-fA-F]{64}");

    public ChainAnchor {
        Objects.requireNonNull(contract, "contract");
        Objects.requireNonNull(txHash, "txHash");
        if (chainId <= 0) {
            throw new IllegalArgumentException("chainId must be positive");
        }
        if (!ADDRESS.matcher(contract).matches()) {
            throw new IllegalArgumentException("contract must be 0x followed by 40 hex digits");
        }
        if (!TX_HASH.matcher(txHash).matches()) {
            throw new IllegalArgumentException("txHash must be 0x followed by 64 hex digits");
        }
        if (blockNumber < 0) {
            throw new IllegalArgumentException("blockNumber must not be negative");
        }
    }
}
