package org.fhiranchor.server.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.fhiranchor.anchor.files.OwnerOnlyFiles;

/**
 * The embedded issuer's EC P-256 signing key, kept under {@code <data-dir>/keys/}: created on first
 * use with owner-only permissions (rw-------), reused afterwards. The key material is never logged
 * or printed; only the key id (a JWK thumbprint of the public key) is safe to show.
 */
public final class TokenSigningKeyFile {

    static final String PRIVATE_KEY_FILE = "jwt-signing-key.p8";
    static final String PUBLIC_KEY_FILE = "jwt-signing-key.pub";

    private TokenSigningKeyFile() {}

    /** The key pair in {@code keysDir}, created there first if it does not exist yet. */
    public static ECKey loadOrCreate(Path keysDir) {
        try {
            Path privateFile = keysDir.resolve(PRIVATE_KEY_FILE);
            Path publicFile = keysDir.resolve(PUBLIC_KEY_FILE);
            if (!Files.exists(privateFile)) {
                create(keysDir, privateFile, publicFile);
            }
            return load(privateFile, publicFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the signing key under " + keysDir, e);
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException("The signing key under " + keysDir + " is unusable", e);
        }
    }

    /** Whether {@code keysDir} holds a signing key (its private half marks it as created). */
    public static boolean exists(Path keysDir) {
        return Files.exists(keysDir.resolve(PRIVATE_KEY_FILE));
    }

    private static void create(Path keysDir, Path privateFile, Path publicFile)
            throws IOException, GeneralSecurityException {
        OwnerOnlyFiles.createDirectory(keysDir);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        // Public key first (replacing the half a crashed first start may have left): a private key file
        // without its public half would never be written again, since its existence marks the key as created.
        OwnerOnlyFiles.replace(publicFile, pair.getPublic().getEncoded());
        OwnerOnlyFiles.createIfAbsent(privateFile, pair.getPrivate().getEncoded());
    }

    private static ECKey load(Path privateFile, Path publicFile)
            throws IOException, GeneralSecurityException, JOSEException {
        KeyFactory factory = KeyFactory.getInstance("EC");
        ECPrivateKey privateKey =
                (ECPrivateKey) factory.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(privateFile)));
        ECPublicKey publicKey =
                (ECPublicKey) factory.generatePublic(new X509EncodedKeySpec(Files.readAllBytes(publicFile)));
        return new ECKey.Builder(Curve.P_256, publicKey)
                .privateKey(privateKey)
                .keyIDFromThumbprint()
                .build();
    }
}
