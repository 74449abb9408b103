package org.fhiranchor.server.anchoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import org.fhiranchor.anchor.files.OwnerOnlyFiles;
import org.web3j.crypto.Keys;
import org.web3j.crypto.WalletUtils;
import org.web3j.utils.Numeric;

/**
 * A secp256k1 signing key kept in a file readable by its owner only. The embedded default creates
 * its own on first start, so no well-known dev key is ever used and none is in the repository.
 */
final class ChainAccountKeyFile {

    private ChainAccountKeyFile() {}

    static String loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                String key = Numeric.toHexStringNoPrefixZeroPadded(
                        Keys.createEcKeyPair().getPrivateKey(), 64);
                OwnerOnlyFiles.createIfAbsent(file, key.getBytes(StandardCharsets.US_ASCII));
            }
            return read(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a signing key", e);
        }
    }

    /** The key inside an encrypted Ethereum JSON keystore (as geth, Foundry and web3j write them). */
    static String unlockKeystore(Path file, String password) {
        if (password == null) {
            throw new IllegalStateException(
                    "fhir-anchor.chain.keystore-password (FHIR_ANCHOR_CHAIN_KEYSTORE_PASSWORD) is required");
        }
        try {
            return Numeric.toHexStringNoPrefixZeroPadded(
                    WalletUtils.loadCredentials(password, file.toFile())
                            .getEcKeyPair()
                            .getPrivateKey(),
                    64);
        } catch (IOException | org.web3j.crypto.exception.CipherException e) {
            // The message names the file, never the password or key.
            throw new IllegalStateException(
                    "cannot unlock the keystore " + file + ": " + e.getClass().getSimpleName(), e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the signing key file " + file, e);
        }
    }
}
