package org.fhiranchor.server.anchoring;

import jakarta.validation.constraints.Min;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import org.fhiranchor.anchor.chain.FeePolicy;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The chain to anchor on ({@code fhir-anchor.chain.*}).
 *
 * @param mode {@code embedded}: the server starts an Anvil dev node on loopback, state under the
 *     data directory; {@code external}: any Ethereum JSON-RPC endpoint
 * @param rpcUrl external mode: the JSON-RPC URL
 * @param chainId if set, the server refuses a node reporting another chain id
 * @param contractAddress the anchoring contract; if empty, the one this database deployed on that
 *     chain, or a new deployment when {@code deployIfMissing}
 * @param privateKey external mode: the signing key (hex); prefer the environment variable
 *     FHIR_ANCHOR_CHAIN_PRIVATE_KEY or {@code privateKeyFile}. Never logged.
 * @param privateKeyFile external mode: a file holding the signing key in hex (owner-only permissions)
 * @param keystoreFile external mode: an encrypted Ethereum JSON keystore (UTC--... file), unlocked
 *     with {@code keystorePassword}, best given as FHIR_ANCHOR_CHAIN_KEYSTORE_PASSWORD
 * @param confirmations blocks (the including one counted) before a checkpoint counts as anchored;
 *     until then it is "mined" and $verify answers pending
 * @param reorgWindowBlocks anchored checkpoints this many blocks deep or less are re-checked on
 *     chain at every run; one no longer there is sent again
 * @param fees fee caps and stuck-transaction replacement
 * @param remoteSigner external mode: sign through a remote signer instead of a key in this process
 * @param origin the name the deployment statement gives this log (its public FHIR base URL, say);
 *     informational, never resolved
 */
@Validated
@ConfigurationProperties("fhir-anchor.chain")
public record ChainProperties(
        @DefaultValue("embedded") Mode mode,
        String rpcUrl,
        Long chainId,
        String contractAddress,
        String privateKey,
        Path privateKeyFile,
        Path keystoreFile,
        String keystorePassword,
        @DefaultValue("true") boolean deployIfMissing,
        @DefaultValue("1") @Min(1) int confirmations,
        @DefaultValue("30s") Duration receiptTimeout,
        @DefaultValue("100ms") Duration pollInterval,
        @DefaultValue("64") @Min(1) int reorgWindowBlocks,
        @DefaultValue Fees fees,
        @DefaultValue RemoteSignerSettings remoteSigner,
        @DefaultValue Embedded embedded,
        @DefaultValue("fhir-anchor") String origin) {

    /**
     * What anchoring may pay ({@code fhir-anchor.chain.fees.*}); amounts in gwei, decimals allowed.
     *
     * @param maxFeeGwei cap on the EIP-1559 max fee per gas, or on the legacy gas price
     * @param maxPriorityFeeGwei cap on the EIP-1559 priority fee (tip) per gas
     * @param replaceAfter a transaction not mined after this long is replaced with the same nonce
     *     and fees raised by {@code bumpPercent} (within the caps), or re-broadcast at the caps
     * @param bumpPercent fee increase per replacement, at least 10 (the minimum nodes accept)
     */
    public record Fees(
            @DefaultValue("200") BigDecimal maxFeeGwei,
            @DefaultValue("2") BigDecimal maxPriorityFeeGwei,
            @DefaultValue("30s") Duration replaceAfter,
            @DefaultValue("13") @Min(10) int bumpPercent) {

        public FeePolicy policy() {
            return new FeePolicy(wei(maxFeeGwei), wei(maxPriorityFeeGwei), replaceAfter, bumpPercent);
        }

        private static BigInteger wei(BigDecimal gwei) {
            return gwei == null ? null : gwei.movePointRight(9).toBigInteger();
        }
    }

    /**
     * A remote signer ({@code fhir-anchor.chain.remote-signer.*}): Web3Signer, Clef or a node with
     * an unlocked account, answering {@code eth_signTransaction}. Set both to use it.
     *
     * @param url its JSON-RPC URL
     * @param address the account it signs for (the contract's writer)
     */
    public record RemoteSignerSettings(String url, String address) {
        public boolean configured() {
            return url != null && !url.isBlank();
        }
    }

    public enum Mode {
        EMBEDDED,
        EXTERNAL
    }

    /**
     * The embedded dev node.
     *
     * @param port loopback port; 0 picks a free one
     * @param blockTimeSeconds seconds per block (Anvil's automine stalls under load; 1 s never did)
     * @param stateIntervalSeconds how often the chain state is saved, so that a kill -9 loses at most this much
     * @param anvilBinary the anvil executable (environment variable FHIR_ANCHOR_ANVIL); empty: looked for
     *     beside the server jar (a distribution's {@code lib/}), then in {@code node_modules} above the jar
     *     or the working directory (a repository checkout after {@code npm ci}); see {@link AnvilBinary}
     */
    public record Embedded(
            @DefaultValue("8545") int port,
            @DefaultValue("31337") long chainId,
            @DefaultValue("1") int blockTimeSeconds,
            @DefaultValue("1") int stateIntervalSeconds,
            String anvilBinary) {}

    @Override
    public String toString() {
        return "ChainProperties[mode=" + mode + ", rpcUrl=" + rpcUrl + ", chainId=" + chainId + ", contractAddress="
                + contractAddress + ", privateKey=" + (privateKey == null ? "unset" : "(set)") + ", keystoreFile="
                + keystoreFile
                + ", keystorePassword=" + (keystorePassword == null ? "unset" : "(set)") + ", remoteSigner="
                + remoteSigner
                + ", confirmations=" + confirmations + ", fees=" + fees + "]";
    }
}
