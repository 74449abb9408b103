package org.fhiranchor.server.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Set;

/**
 * The embedded issuer's EC P-256 signing key, kept under {@code <data-dir>/keys/}: created on first
 * use with owner-only permissions (rw-------), reused afterwards. The key material is never logged
 * or printed; only the key id (a JWK thumbprint of the public key) is safe to show.
 */
public final class SigningKeyFile {

    static final String PRIVATE_KEY_FILE = "jwt-signing-key.p8";
    static final String PUBLIC_KEY_FILE = "jwt-signing-key.pub";
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private SigningKeyFile() {}

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
        createOwnerOnlyDirectory(keysDir);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        // Public key first: a private key file without its public half would never be written
        // again, since its existence is what marks the key as created.
        writeOwnerOnly(keysDir, publicFile, pair.getPublic().getEncoded());
        writeOwnerOnly(keysDir, privateFile, pair.getPrivate().getEncoded());
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

    private static void createOwnerOnlyDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir.toAbsolutePath().getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        } catch (FileAlreadyExistsException raced) {
            // another process created it meanwhile; its permissions are its own
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(dir);
        }
    }

    /** Written to a temporary file that never had wider permissions, then moved into place. */
    private static void writeOwnerOnly(Path dir, Path target, byte[] content) throws IOException {
        Path temp;
        try {
            temp = Files.createTempFile(dir, ".key-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        } catch (UnsupportedOperationException notPosix) {
            temp = Files.createTempFile(dir, ".key-", ".tmp");
        }
        Files.write(temp, content);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    }
}
