package org.fhiranchor.server.consent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.fhiranchor.anchor.chain.ConsentDecision;
import org.fhiranchor.anchor.files.OwnerOnlyFiles;

/**
 * The server secret behind every identity that goes on chain: consent, patient and grantee keys
 * are HMAC-SHA256 of a labelled reference ({@code consent:Consent/1}, {@code patient:Patient/x},
 * {@code grantee:Organization/y}, {@code grantee:*}). Purpose codes are not identifying, so they
 * are plain SHA-256 of {@code purpose:system|code} and anyone can check them. The key never
 * appears in logs or {@link #toString()}.
 */
public final class ConsentKeys {

    private static final int KEY_LENGTH = 32;
    private final Supplier<byte[]> source;
    private volatile byte[] key;

    private ConsentKeys(byte[] key) {
        this(() -> key);
        key();
    }

    private ConsentKeys(Supplier<byte[]> source) {
        this.source = source;
    }

    /**
     * Keys whose secret is read (or, for the embedded default, created) on first use, not at start:
     * a server that never sees a Consent writes no key file.
     */
    public static ConsentKeys lazy(Supplier<ConsentKeys> loader) {
        return new ConsentKeys(() -> loader.get().key());
    }

    private byte[] key() {
        byte[] current = key;
        if (current == null) {
            synchronized (this) {
                if (key == null) {
                    byte[] loaded = source.get();
                    if (loaded.length < KEY_LENGTH) {
                        throw new IllegalArgumentException("the consent HMAC key must be at least 32 bytes");
                    }
                    key = loaded.clone();
                }
                current = key;
            }
        }
        return current;
    }

    /** A key given as hex (environment variable or file content). */
    public static ConsentKeys fromHex(String hex) {
        try {
            return new ConsentKeys(HexFormat.of().parseHex(hex.trim()));
        } catch (IllegalArgumentException e) {
            // Never echo the value: it is the secret.
            throw new IllegalArgumentException("the consent HMAC key is not valid hex of at least 32 bytes");
        }
    }

    /** Reads the key file, creating it with a fresh random key (owner-only permissions) if missing. */
    public static ConsentKeys loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[KEY_LENGTH];
                new SecureRandom().nextBytes(fresh);
                OwnerOnlyFiles.createIfAbsent(
                        file, HexFormat.of().formatHex(fresh).getBytes(StandardCharsets.US_ASCII));
            }
            return read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the consent HMAC key file " + file, e);
        }
    }

    public static ConsentKeys read(Path file) {
        try {
            return fromHex(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the consent HMAC key file " + file, e);
        }
    }

    /**
     * The secret key of one research export (pseudonyms, date offsets): derived from this secret, so every replica
     * and a restarted export get the same key, and unlinkable between exports. Never leaves the server.
     */
    public byte[] researchExportKey(String exportId) {
        return hmac("research-export:" + exportId);
    }

    public byte[] consentKey(String consentId) {
        return hmac("consent:Consent/" + consentId);
    }

    public byte[] patientKey(String patientReference) {
        return hmac("patient:" + patientReference);
    }

    public byte[] granteeKey(String granteeReference) {
        return hmac("grantee:" + granteeReference);
    }

    public static byte[] purposeCode(String purpose) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(("purpose:" + purpose).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The contract's view of a decision: keyed hashes, flags, numbers; nothing else. */
    public ConsentDecision onChain(ConsentDecisionRecord record) {
        byte[] consentKey = consentKey(record.consentId());
        List<byte[]> grantees = record.grantees().stream().map(this::granteeKey).toList();
        List<byte[]> purposes =
                record.purposes().stream().map(ConsentKeys::purposeCode).toList();
        return new ConsentDecision(
                consentKey,
                record.version(),
                record.decisionHash(consentKey),
                patientKey(record.patient()),
                grantees,
                purposes,
                record.permit(),
                record.chainStatus(),
                startSeconds(record.period()),
                endSeconds(record.period()));
    }

    /** Unix seconds, 0 for open; starts before 1970 count as open (the contract is unsigned). */
    static long startSeconds(TimeRange period) {
        return period.start() == null ? 0 : Math.max(0, period.start().getEpochSecond());
    }

    /** Unix seconds of the exclusive end, 0 for open; an end before 1970 becomes 1 (long over). */
    static long endSeconds(TimeRange period) {
        if (period.end() == null) {
            return 0;
        }
        return Math.max(Math.max(1, period.end().getEpochSecond()), startSeconds(period));
    }

    private byte[] hmac(String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(), "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "ConsentKeys[secret]";
    }
}
