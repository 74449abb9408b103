package org.fhiranchor.server.anchoring;

import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.fhiranchor.anchor.chain.ContractMismatchException;
import org.fhiranchor.anchor.chain.Deployment;
import org.fhiranchor.anchor.chain.DeploymentStatement;
import org.fhiranchor.anchor.chain.Ledger;
import org.fhiranchor.anchor.chain.LedgerSettings;
import org.fhiranchor.anchor.chain.LocalSigner;
import org.fhiranchor.anchor.chain.RemoteSigner;
import org.fhiranchor.anchor.chain.TransactionSigner;
import org.fhiranchor.anchor.chain.Web3jLedger;
import org.fhiranchor.server.jobs.JobLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.web3j.crypto.Credentials;

/**
 * Connects to the chain lazily and again after failures, so that the server starts and keeps
 * storing versions while the node is down; anchoring catches up once it is back. The contract is
 * the configured one, else the one this database deployed on that chain, else a new deployment
 * made under a database lock (one per chain, whatever the number of replicas).
 */
public final class ChainConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChainConnection.class);
    private static final BigInteger DEV_FUNDS = BigInteger.TEN.pow(21);

    private final ChainProperties properties;
    private final EmbeddedChain embedded;
    private final Path dataDir;
    private final JdbcTemplate jdbc;
    private final JobLock deployLock;
    private final Clock clock;
    private volatile Web3jLedger ledger;
    private volatile String lastError;
    private final java.util.concurrent.atomic.AtomicLong closedReplacements =
            new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong reorganisations = new java.util.concurrent.atomic.AtomicLong();

    public ChainConnection(
            ChainProperties properties,
            EmbeddedChain embeddedOrNull,
            Path dataDir,
            JdbcTemplate jdbc,
            TransactionTemplate transactions,
            Clock clock) {
        this.properties = properties;
        this.embedded = embeddedOrNull;
        this.dataDir = dataDir;
        this.jdbc = jdbc;
        this.deployLock = new JobLock(JobLock.DEPLOY, jdbc, transactions);
        this.clock = clock;
    }

    /** The connected ledger, connecting first if needed; throws if the chain cannot be reached. */
    public synchronized Ledger ledger() {
        if (ledger == null) {
            try {
                ledger = connect();
                lastError = null;
            } catch (RuntimeException e) {
                lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                throw e;
            }
        }
        return ledger;
    }

    public Optional<Ledger> connected() {
        return Optional.ofNullable(ledger);
    }

    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    public void recordFailure(RuntimeException e) {
        lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    public String rpcUrl() {
        return embedded != null ? embedded.rpcUrl() : properties.rpcUrl();
    }

    /** Forgets the connection; the next {@link #ledger()} connects again (and checks the contract again). */
    public synchronized void reset() {
        if (ledger != null) {
            closedReplacements.addAndGet(ledger.replacements());
            ledger.close();
            ledger = null;
        }
    }

    private Web3jLedger connect() {
        String rpcUrl = rpcUrl();
        if (rpcUrl == null || rpcUrl.isBlank()) {
            throw new IllegalStateException("fhir-anchor.chain.rpc-url is required in external mode");
        }
        TransactionSigner signer = signer();
        if (embedded != null) {
            embedded.node().fund(signer.address(), DEV_FUNDS);
        }
        // Writes return once mined; the checkpoint job counts confirmations and re-checks for reorganisations.
        LedgerSettings settings = new LedgerSettings(
                rpcUrl,
                1,
                properties.receiptTimeout(),
                properties.pollInterval(),
                3,
                properties.fees().policy());
        long chainId = probeChainId(settings);
        if (properties.chainId() != null && properties.chainId() != chainId) {
            throw new IllegalStateException(
                    "the node at " + rpcUrl + " reports chain id " + chainId + ", configured " + properties.chainId());
        }
        String contract = contractAddress(settings, signer, chainId);
        Web3jLedger connected;
        try {
            connected = Web3jLedger.connect(settings, contract, signer);
        } catch (ContractMismatchException e) {
            if (!e.codeMissing() || configuredContract() || !properties.deployIfMissing()) {
                throw e;
            }
            connected = Web3jLedger.connect(settings, redeploy(settings, signer, chainId, contract), signer);
        }
        log.info(
                "Anchoring on chain {} at contract {} via {}, signed by {}",
                chainId,
                connected.contractAddress(),
                rpcUrl,
                signer);
        return connected;
    }

    private boolean configuredContract() {
        return properties.contractAddress() != null
                && !properties.contractAddress().isBlank();
    }

    /**
     * The contract this database deployed has no code any more: the deployment was reorganised out
     * of the chain. A new deployment takes its place, and everything recorded in the old one is
     * queued again (checkpoints, consent decisions and archives), under the deploy lock so that one
     * replica does it once.
     */
    private String redeploy(LedgerSettings settings, TransactionSigner signer, long chainId, String lost) {
        return deployLock.call(() -> {
            List<String> known = jdbc.queryForList(
                    "SELECT contract_address FROM anchor_chain_config WHERE chain_id = ?", String.class, chainId);
            if (!known.isEmpty() && !known.get(0).equalsIgnoreCase(lost)) {
                return known.get(0); // another replica redeployed meanwhile
            }
            String address = deployAndPublish(settings, signer, chainId);
            jdbc.update(
                    "UPDATE anchor_chain_config SET contract_address = ?, deployed_at = ? WHERE chain_id = ?",
                    address,
                    Timestamp.from(clock.instant()),
                    chainId);
            int checkpoints = jdbc.update(
                    "UPDATE anchor_checkpoint SET status = 'PENDING', tx_hash = NULL, block_number = NULL, "
                            + "gas_used = NULL, anchored_at = NULL, last_error = ? WHERE status <> 'PENDING'",
                    "contract " + lost + " was reorganised away; queued again for " + address);
            int decisions = jdbc.update("UPDATE anchor_consent_decision SET status = 'PENDING', tx_hash = NULL, "
                    + "block_number = NULL WHERE status = 'RECORDED'");
            try {
                jdbc.update("UPDATE anchor_archive SET status = 'STORED', tx_hash = NULL, block_number = NULL, "
                        + "recorded_at = NULL WHERE status = 'RECORDED'");
            } catch (org.springframework.jdbc.BadSqlGrammarException noArchiveTable) {
                // archiving is off in this deployment
            }
            reorganisations.incrementAndGet();
            log.warn(
                    "The anchoring contract {} on chain {} is no longer in the canonical chain (reorganisation); "
                            + "deployed again at {}, {} checkpoint(s) and {} consent decision(s) queued again",
                    lost,
                    chainId,
                    address,
                    checkpoints,
                    decisions);
            return address;
        });
    }

    /** Transactions replaced (fee bump) or re-broadcast since start. */
    public long replacements() {
        Web3jLedger current = ledger;
        return closedReplacements.get() + (current == null ? 0 : current.replacements());
    }

    /** How often a lost deployment was replaced since start. */
    public long redeployments() {
        return reorganisations.get();
    }

    private long probeChainId(LedgerSettings settings) {
        org.web3j.protocol.Web3j web3j =
                org.web3j.protocol.Web3j.build(new org.web3j.protocol.http.HttpService(settings.rpcUrl()));
        try {
            return web3j.ethChainId().send().getChainId().longValueExact();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(
                    "chain node unreachable at " + settings.rpcUrl() + ": " + e.getMessage(), e);
        } finally {
            web3j.shutdown();
        }
    }

    private String contractAddress(LedgerSettings settings, TransactionSigner signer, long chainId) {
        if (properties.contractAddress() != null
                && !properties.contractAddress().isBlank()) {
            return properties.contractAddress();
        }
        return deployLock.call(() -> {
            List<String> known = jdbc.queryForList(
                    "SELECT contract_address FROM anchor_chain_config WHERE chain_id = ?", String.class, chainId);
            if (!known.isEmpty()) {
                return known.get(0);
            }
            if (!properties.deployIfMissing()) {
                throw new IllegalStateException(
                        "no contract configured for chain " + chainId + " and deploy-if-missing is off");
            }
            String address = deployAndPublish(settings, signer, chainId);
            jdbc.update(
                    "INSERT INTO anchor_chain_config (chain_id, contract_address, deployed_at) VALUES (?, ?, ?)",
                    chainId,
                    address,
                    Timestamp.from(clock.instant()));
            log.info("Deployed the anchoring contract at {} on chain {}", address, chainId);
            return address;
        });
    }

    /**
     * Deploys the contract and, when the key is in this process, writes the signed deployment
     * statement for the operator to publish (with a remote signer, the operator signs it).
     */
    private String deployAndPublish(LedgerSettings settings, TransactionSigner signer, long chainId) {
        Deployment deployment = Web3jLedger.deploy(settings, signer);
        if (signer instanceof LocalSigner local) {
            DeploymentStatementFile.write(
                    dataDir, DeploymentStatement.signed(properties.origin(), chainId, deployment, local.credentials()));
        } else {
            log.warn("Deployed the contract through a remote signer: no deployment statement written; sign one "
                    + "with the deployer key and publish it (docs/contract.md)");
        }
        return deployment.contractAddress();
    }

    private TransactionSigner signer() {
        if (embedded == null && properties.remoteSigner().configured()) {
            // The key stays in the remote signer: this process only ever sees signed transactions.
            return new RemoteSigner(
                    properties.remoteSigner().url(), properties.remoteSigner().address());
        }
        return new LocalSigner(Credentials.create(signingKey()));
    }

    private String signingKey() {
        if (embedded != null) {
            return ChainAccountKeyFile.loadOrCreate(dataDir.resolve("keys").resolve("chain-signer.key"));
        }
        if (properties.privateKey() != null && !properties.privateKey().isBlank()) {
            return properties.privateKey().trim();
        }
        if (properties.privateKeyFile() != null) {
            return ChainAccountKeyFile.read(properties.privateKeyFile());
        }
        if (properties.keystoreFile() != null) {
            return ChainAccountKeyFile.unlockKeystore(properties.keystoreFile(), properties.keystorePassword());
        }
        throw new IllegalStateException(
                "external chain: set FHIR_ANCHOR_CHAIN_PRIVATE_KEY, "
                        + "fhir-anchor.chain.private-key-file, fhir-anchor.chain.keystore-file or fhir-anchor.chain.remote-signer.url");
    }

    @Override
    public synchronized void close() {
        if (ledger != null) {
            ledger.close();
            ledger = null;
        }
    }
}
