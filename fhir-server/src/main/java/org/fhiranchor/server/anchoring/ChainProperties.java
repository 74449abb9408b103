package org.fhiranchor.server.anchoring;

import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import java.time.Duration;
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
        @DefaultValue Embedded embedded,
        @DefaultValue("fhir-anchor") String origin) {

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
                + contractAddress + ", privateKey=" + (privateKey == null ? "unset" : "(set)") + ", keystoreFile=" + keystoreFile
                + ", keystorePassword=" + (keystorePassword == null ? "unset" : "(set)") + "]";
    }
}
