package org.fhiranchor.anchor.canonical;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The content hash of a resource version: SHA-256 of its canonical JSON v1 bytes. The input is the JSON
 * exactly as the server serves {@code GET [type]/[id]/_history/[vid]} with {@code _format=json}, meta
 * included. A delete has no body and uses {@link #deleted()}.
 */
public final class ContentHash {

    public static final int LENGTH = 32;

    private ContentHash() {}

    /** SHA-256 of the canonical form; throws {@link JsonFormatException} if the input is not strict JSON. */
    public static byte[] of(byte[] jsonUtf8) {
        return sha256(CanonicalJson.canonicalize(jsonUtf8));
    }

    /**
     * SHA-256 of bytes that already are canonical JSON v1 (from a writer that produces the canonical form
     * directly); not checked here.
     */
    public static byte[] ofCanonical(byte[] canonicalUtf8) {
        return sha256(canonicalUtf8);
    }

    /** SHA-256 of the canonical form of an already parsed value. */
    public static byte[] of(JsonValue value) {
        return sha256(CanonicalJson.serialize(value));
    }

    /** The content hash of a delete (tombstone): 32 zero bytes, since there is no body to hash. */
    public static byte[] deleted() {
        return new byte[LENGTH];
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
