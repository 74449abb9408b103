package org.fhiranchor.server.security;

import com.nimbusds.jose.jwk.ECKey;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The server's own token issuer: the signing key under {@code <data-dir>/keys/} and the minting
 * code, shared by the running server (to verify) and the {@code token} command line (to sign).
 */
public final class EmbeddedIssuer {

    static final String KEYS_DIRECTORY = "keys";

    private final ECKey key;
    private final TokenIssuer tokens;

    private EmbeddedIssuer(ECKey key, TokenIssuer tokens) {
        this.key = key;
        this.tokens = tokens;
    }

    public static EmbeddedIssuer open(Path dataDir, SecurityProperties properties) {
        ECKey key = TokenSigningKeyFile.loadOrCreate(dataDir.resolve(KEYS_DIRECTORY));
        return new EmbeddedIssuer(
                key, new TokenIssuer(key, properties.issuer(), properties.audience(), Clock.systemUTC()));
    }

    /** Whether {@code dataDir} holds a signing key already (the token command never creates one unasked). */
    public static boolean hasKey(Path dataDir) {
        return TokenSigningKeyFile.exists(dataDir.resolve(KEYS_DIRECTORY));
    }

    public String mint(TokenIssuer.TokenRequest request) {
        return tokens.mint(request);
    }

    /** The key id: safe to show, it identifies the key without revealing it. */
    public String keyId() {
        return key.getKeyID();
    }

    /** The signing key, private half included: for the in-process authorization server only. */
    public ECKey key() {
        return key;
    }
}
