package org.fhiranchor.server.anchoring;

import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.fhiranchor.anchor.chain.Deployment;
import org.fhiranchor.anchor.chain.DeploymentStatement;
import org.fhiranchor.anchor.chain.Ledger;
import org.fhiranchor.anchor.chain.LedgerSettings;
import org.fhiranchor.anchor.chain.Web3jLedger;
import org.fhiranchor.server.log.JobLock;
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
    private final TransactionTemplate transactions;
    private final Clock clock;
    private volatile Web3jLedger ledger;
    private volatile String lastError;

    public ChainConnection(ChainProperties properties, EmbeddedChain embeddedOrNull, Path dataDir, JdbcTemplate jdbc,
            TransactionTemplate transactions, Clock clock) {
        this.properties = properties;
        this.embedded = embeddedOrNull;
        this.dataDir = dataDir;
        this.jdbc = jdbc;
        this.transactions = transactions;
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

    private Web3jLedger connect() {
        String rpcUrl = rpcUrl();
        if (rpcUrl == null || rpcUrl.isBlank()) {
            throw new IllegalStateException("fhir-anchor.chain.rpc-url is required in external mode");
        }
        String key = signingKey();
        if (embedded != null) {
            embedded.node().fund(Credentials.create(key).getAddress(), DEV_FUNDS);
        }
        LedgerSettings settings = new LedgerSettings(rpcUrl, properties.confirmations(), properties.receiptTimeout(),
                properties.pollInterval(), 3);
        long chainId = probeChainId(settings, key);
        if (properties.chainId() != null && properties.chainId() != chainId) {
            throw new IllegalStateException("the node at " + rpcUrl + " reports chain id " + chainId + ", configured "
                    + properties.chainId());
        }
        String contract = contractAddress(settings, key, chainId);
        Web3jLedger connected = Web3jLedger.connect(settings, contract, key);
        log.info("Anchoring on chain {} at contract {} via {}", chainId, contract, rpcUrl);
        return connected;
    }

    private long probeChainId(LedgerSettings settings, String key) {
        org.web3j.protocol.Web3j web3j = org.web3j.protocol.Web3j.build(new org.web3j.protocol.http.HttpService(settings.rpcUrl()));
        try {
            return web3j.ethChainId().send().getChainId().longValueExact();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("chain node unreachable at " + settings.rpcUrl() + ": " + e.getMessage(), e);
        } finally {
            web3j.shutdown();
        }
    }

    private String contractAddress(LedgerSettings settings, String key, long chainId) {
        if (properties.contractAddress() != null && !properties.contractAddress().isBlank()) {
            return properties.contractAddress();
        }
        return transactions.execute(status -> {
            JobLock.acquire(jdbc, JobLock.DEPLOY);
            List<String> known = jdbc.queryForList(
                    "SELECT contract_address FROM anchor_chain_config WHERE chain_id = ?", String.class, chainId);
            if (!known.isEmpty()) {
                return known.get(0);
            }
            if (!properties.deployIfMissing()) {
                throw new IllegalStateException("no contract configured for chain " + chainId + " and deploy-if-missing is off");
            }
            Deployment deployment = Web3jLedger.deploy(settings, key);
            String address = deployment.contractAddress();
            DeploymentStatementFile.write(dataDir,
                    DeploymentStatement.signed(properties.origin(), chainId, deployment, Credentials.create(key)));
            jdbc.update("INSERT INTO anchor_chain_config (chain_id, contract_address, deployed_at) VALUES (?, ?, ?)",
                    chainId, address, Timestamp.from(clock.instant()));
            log.info("Deployed the anchoring contract at {} on chain {}", address, chainId);
            return address;
        });
    }

    private String signingKey() {
        if (embedded != null) {
            return SignerKeyFile.loadOrCreate(dataDir.resolve("keys").resolve("chain-signer.key"));
        }
        if (properties.privateKey() != null && !properties.privateKey().isBlank()) {
            return properties.privateKey().trim();
        }
        if (properties.privateKeyFile() != null) {
            return SignerKeyFile.read(properties.privateKeyFile());
        }
        if (properties.keystoreFile() != null) {
            return SignerKeyFile.unlockKeystore(properties.keystoreFile(), properties.keystorePassword());
        }
        throw new IllegalStateException("external chain: set FHIR_ANCHOR_CHAIN_PRIVATE_KEY, "
                + "fhir-anchor.chain.private-key-file or fhir-anchor.chain.keystore-file");
    }

    @Override
    public synchronized void close() {
        if (ledger != null) {
            ledger.close();
            ledger = null;
        }
    }
}
