package org.fhiranchor.anchor.chain;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

/** A fresh key per test account, funded through anvil_setBalance: no well-known dev keys in use. */
public record TestKeys(String privateKeyHex, String address) {
    static final BigInteger TEN_ETHER = BigInteger.TEN.pow(19);

    public static TestKeys fundedOn(AnvilNode node) {
        try {
            ECKeyPair pair = Keys.createEcKeyPair(new SecureRandom());
            String key = Numeric.toHexStringWithPrefixZeroPadded(pair.getPrivateKey(), 64);
            TestKeys keys = new TestKeys(key, Credentials.create(key).getAddress());
            node.fund(keys.address(), TEN_ETHER);
            return keys;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "TestKeys[" + address + "]";
    }

    static byte[] hash(String label) {
        return org.web3j.crypto.Hash.sha3(label.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
