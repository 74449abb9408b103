package org.fhiranchor.anchor.chain;

import java.security.SignatureException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.fhiranchor.anchor.canonical.CanonicalJson;
import org.fhiranchor.anchor.canonical.JsonFormatException;
import org.fhiranchor.anchor.canonical.JsonNumber;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.canonical.JsonString;
import org.fhiranchor.anchor.canonical.JsonValue;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * A {@value #FORMAT} file: which contract on which chain holds a server's checkpoints, stated by
 * the account that deployed it. An operator publishes it once (next to the server's URL, in a
 * contract with its partners); a verifier pins it ({@code --deployment FILE}) and so never asks the
 * server it checks where the contract is. {@link DeploymentCheck} holds it against the chain.
 *
 * <p>The signature is EIP-191 ({@code personal_sign}) by the deployer's key over the canonical JSON
 * (docs/verification.md section 1) of every other member; see docs/contract.md, "The deployment
 * statement".
 *
 * @param origin a name the operator gives the log (its FHIR base URL, say): shown, never resolved
 * @param chainId the chain's EIP-155 id
 * @param contract the contract address, 0x-prefixed, lower case
 * @param deployer the account that sent the deployment transaction (the contract's first owner), lower case
 * @param deploymentTransaction that transaction's hash, 0x-prefixed, lower case
 * @param deploymentBlock the block it was mined in
 * @param runtimeCodeHash keccak-256 of the contract's runtime bytecode (what {@code EXTCODEHASH} gives), 0x-prefixed
 * @param signature 65-byte r||s||v signature, 0x-prefixed hex; {@code null} before signing
 */
public record DeploymentStatement(
        String origin,
        long chainId,
        String contract,
        String deployer,
        String deploymentTransaction,
        long deploymentBlock,
        String runtimeCodeHash,
        String signature) {

    public static final String FORMAT = "fhir-anchor-deployment/1";

    public DeploymentStatement {
        contract = lower(contract);
        deployer = lower(deployer);
        deploymentTransaction = lower(deploymentTransaction);
        runtimeCodeHash = lower(runtimeCodeHash);
    }

    /** keccak-256 of this build's runtime bytecode: the only code a statement may name. */
    public static String expectedRuntimeCodeHash() {
        return Hash.sha3("0x" + ContractArtifacts.runtimeBytecode());
    }

    /** The statement for a fresh deployment, signed with the deployer's key. */
    public static DeploymentStatement signed(String origin, long chainId, Deployment deployment, Credentials deployer) {
        DeploymentStatement unsigned = new DeploymentStatement(
                origin,
                chainId,
                deployment.contractAddress(),
                deployer.getAddress(),
                deployment.receipt().txHash(),
                deployment.receipt().blockNumber(),
                expectedRuntimeCodeHash(),
                null);
        return unsigned.signWith(deployer);
    }

    public DeploymentStatement signWith(Credentials key) {
        Sign.SignatureData sig = Sign.signPrefixedMessage(signedBytes(), key.getEcKeyPair());
        byte[] rsv = new byte[65];
        System.arraycopy(sig.getR(), 0, rsv, 0, 32);
        System.arraycopy(sig.getS(), 0, rsv, 32, 32);
        rsv[64] = sig.getV()[0];
        return new DeploymentStatement(
                origin,
                chainId,
                contract,
                deployer,
                deploymentTransaction,
                deploymentBlock,
                runtimeCodeHash,
                Numeric.toHexString(rsv));
    }

    /** The account whose key made {@link #signature}; throws if there is none or it is malformed. */
    public String signer() {
        if (signature == null) {
            throw new IllegalStateException("the deployment statement is not signed");
        }
        byte[] rsv = Numeric.hexStringToByteArray(signature);
        if (rsv.length != 65) {
            throw new IllegalStateException("the deployment statement's signature is not 65 bytes");
        }
        byte[] r = java.util.Arrays.copyOfRange(rsv, 0, 32);
        byte[] s = java.util.Arrays.copyOfRange(rsv, 32, 64);
        byte v = rsv[64] < 27 ? (byte) (rsv[64] + 27) : rsv[64];
        try {
            return "0x"
                    + Keys.getAddress(Sign.signedPrefixedMessageToKey(signedBytes(), new Sign.SignatureData(v, r, s)));
        } catch (SignatureException | RuntimeException e) {
            throw new IllegalStateException("the deployment statement's signature is invalid: " + e.getMessage(), e);
        }
    }

    /** The bytes the deployer signs: canonical JSON of every member but {@code signature}. */
    public byte[] signedBytes() {
        return CanonicalJson.serialize(new JsonObject(members(false)));
    }

    public String toJson() {
        return CanonicalJson.serializeToString(new JsonObject(members(true))) + "\n";
    }

    public static DeploymentStatement parse(byte[] json) {
        JsonObject o = JsonParser.parseObject(json);
        if (!FORMAT.equals(o.getString("format"))) {
            throw new JsonFormatException("not a " + FORMAT + " file (format: " + o.getString("format") + ")");
        }
        return new DeploymentStatement(
                o.getString("origin"),
                o.getNumber("chainId").asNonNegativeLong(),
                o.getString("contract"),
                o.getString("deployer"),
                o.getString("deploymentTransaction"),
                o.getNumber("deploymentBlock").asNonNegativeLong(),
                o.getString("runtimeCodeHash"),
                o.has("signature") ? o.getString("signature") : null);
    }

    private Map<String, JsonValue> members(boolean withSignature) {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("format", new JsonString(FORMAT));
        m.put("origin", new JsonString(origin));
        m.put("chainId", JsonNumber.of(chainId));
        m.put("contract", new JsonString(contract));
        m.put("deployer", new JsonString(deployer));
        m.put("deploymentTransaction", new JsonString(deploymentTransaction));
        m.put("deploymentBlock", JsonNumber.of(deploymentBlock));
        m.put("runtimeCodeHash", new JsonString(runtimeCodeHash));
        if (withSignature && signature != null) {
            m.put("signature", new JsonString(signature));
        }
        return m;
    }

    private static String lower(String hex) {
        return hex == null ? null : hex.toLowerCase(Locale.ROOT);
    }
}
