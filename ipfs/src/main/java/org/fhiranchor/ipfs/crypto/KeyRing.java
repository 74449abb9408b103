package org.fhiranchor.ipfs.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Archive keys by key id, one of them current. New envelopes use the current key; old envelopes name their key
 * id, so rotating only adds a key and moves "current": nothing already archived is re-encrypted. A key may leave
 * the ring only when no envelope that names it needs to be read again. Immutable.
 */
public final class KeyRing {
    public static final int KEY_BYTES = 32;
    public static final int MAX_KEY_ID_BYTES = 255;

    private final Map<String, SecretKey> keys;
    private final String currentKeyId;

    private KeyRing(Map<String, SecretKey> keys, String currentKeyId) {
        this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
        this.currentKeyId = currentKeyId;
    }

    public static KeyRing of(String keyId, byte[] key) {
        return new KeyRing(Map.of(), keyId).rotateTo(keyId, key);
    }

    /** A ring that also holds {@code keyId} and uses it for new envelopes. */
    public KeyRing rotateTo(String keyId, byte[] key) {
        return withKey(keyId, key).withCurrent(keyId);
    }

    /** A ring that can also open envelopes sealed under {@code keyId}; the current key is unchanged. */
    public KeyRing withKey(String keyId, byte[] key) {
        checkKeyId(keyId);
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("archive keys are AES-256: 32 bytes, got " + key.length);
        }
        SecretKey existing = keys.get(keyId);
        SecretKey added = new SecretKeySpec(key, "AES");
        if (existing != null && !existing.equals(added)) {
            // Reusing an id for a different key would make old envelopes unreadable without any error naming why.
            throw new IllegalArgumentException("key id '" + keyId + "' already names a different key");
        }
        Map<String, SecretKey> next = new LinkedHashMap<>(keys);
        next.put(keyId, added);
        return new KeyRing(next, currentKeyId);
    }

    public KeyRing withCurrent(String keyId) {
        if (!keys.containsKey(keyId)) {
            throw new UnknownKeyIdException(keyId);
        }
        return new KeyRing(keys, keyId);
    }

    public KeyRing without(String keyId) {
        if (keyId.equals(currentKeyId)) {
            throw new IllegalArgumentException("cannot remove the current key '" + keyId + "'");
        }
        Map<String, SecretKey> next = new LinkedHashMap<>(keys);
        next.remove(keyId);
        return new KeyRing(next, currentKeyId);
    }

    public String currentKeyId() {
        return currentKeyId;
    }

    SecretKey current() {
        return key(currentKeyId);
    }

    SecretKey key(String keyId) {
        SecretKey key = keys.get(keyId);
        if (key == null) {
            throw new UnknownKeyIdException(keyId);
        }
        return key;
    }

    public Set<String> keyIds() {
        return keys.keySet();
    }

    /** 32 bytes from a strong RNG: a new archive key. */
    public static byte[] generateKey() {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }

    static void checkKeyId(String keyId) {
        int length = keyId.getBytes(StandardCharsets.UTF_8).length;
        if (length == 0 || length > MAX_KEY_ID_BYTES) {
            throw new IllegalArgumentException("key id must be 1 to 255 UTF-8 bytes");
        }
    }
}
