package org.fhiranchor.anchor.chain;

import java.util.Locale;
import java.util.Optional;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Holds a pinned {@link DeploymentStatement} against the chain, asking only the node: the
 * statement is signed by its deployer; the node's chain id is the statement's; the deployment
 * transaction was sent by that deployer, created a contract at that address, succeeded, and sits in
 * that block; the code at the address hashes to the statement's runtime code hash, which is this
 * build's. Any mismatch throws {@link ContractMismatchException}: the verifier then refuses to use
 * the contract at all.
 */
public final class DeploymentCheck {

    private DeploymentCheck() {}

    /** @throws ContractMismatchException naming the first fact that does not hold */
    public static void check(Web3j web3j, DeploymentStatement statement) {
        String signer;
        try {
            signer = statement.signer();
        } catch (IllegalStateException e) {
            throw new ContractMismatchException("deployment statement refused: " + e.getMessage());
        }
        require(
                signer.equals(statement.deployer()),
                "the statement is signed by " + signer + ", not by its deployer " + statement.deployer());
        require(
                statement.runtimeCodeHash().equals(DeploymentStatement.expectedRuntimeCodeHash()),
                "the statement names runtime code " + statement.runtimeCodeHash()
                        + ", not the FhirAnchor runtime bytecode of this build");

        long chainId = TransactionSender.call(() -> web3j.ethChainId().send(), "eth_chainId")
                .getChainId()
                .longValueExact();
        require(
                chainId == statement.chainId(),
                "the node reports chain id " + chainId + ", the statement " + statement.chainId());

        Optional<Transaction> tx = TransactionSender.call(
                        () -> web3j.ethGetTransactionByHash(statement.deploymentTransaction())
                                .send(),
                        "eth_getTransactionByHash")
                .getTransaction();
        require(
                tx.isPresent(),
                "the deployment transaction " + statement.deploymentTransaction() + " is not on this chain");
        require(
                lower(tx.get().getFrom()).equals(statement.deployer()),
                "the deployment transaction was sent by " + lower(tx.get().getFrom()) + ", not by "
                        + statement.deployer());
        require(tx.get().getTo() == null, "the deployment transaction is not a contract creation");

        Optional<TransactionReceipt> receipt = TransactionSender.call(
                        () -> web3j.ethGetTransactionReceipt(statement.deploymentTransaction())
                                .send(),
                        "eth_getTransactionReceipt")
                .getTransactionReceipt();
        require(
                receipt.isPresent() && receipt.get().isStatusOK(),
                "the deployment transaction has no successful receipt");
        require(
                statement.contract().equals(lower(receipt.get().getContractAddress())),
                "the deployment transaction created " + lower(receipt.get().getContractAddress()) + ", not "
                        + statement.contract());
        require(
                receipt.get().getBlockNumber().longValueExact() == statement.deploymentBlock(),
                "the deployment transaction is in block " + receipt.get().getBlockNumber() + ", not "
                        + statement.deploymentBlock());

        String code = TransactionSender.call(
                        () -> web3j.ethGetCode(statement.contract(), DefaultBlockParameterName.LATEST)
                                .send(),
                        "eth_getCode")
                .getCode();
        String codeHash = Hash.sha3(code == null || Numeric.cleanHexPrefix(code).isEmpty() ? "0x" : code);
        require(
                codeHash.equals(statement.runtimeCodeHash()),
                "the code at " + statement.contract() + " hashes to " + codeHash + ", not "
                        + statement.runtimeCodeHash());
    }

    private static void require(boolean fact, String otherwise) {
        if (!fact) {
            throw new ContractMismatchException("deployment statement refused: " + otherwise);
        }
    }

    private static String lower(String hex) {
        return hex == null ? "" : hex.toLowerCase(Locale.ROOT);
    }
}
