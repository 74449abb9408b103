package org.fhiranchor.anchor.export;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;

/**
 * Test-only reads of the intermediate values of Bouncy Castle's HPKE (the shared secret, key, base_nonce
 * and exporter_secret), which its API does not show, so that the RFC 9180 known answers pin each step and
 * the box/2 vector can list them. Written against bcprov-jdk18on 1.86; a rename there fails these tests
 * loudly, never silently.
 */
final class BouncyCastleHpkeInternals {

    private BouncyCastleHpkeInternals() {}

    /** Decap(enc, skR): the KEM's shared secret. */
    static byte[] sharedSecret(HPKE hpke, byte[] enc, AsymmetricCipherKeyPair recipient) {
        Object kem = field(HPKE.class, "kem", hpke);
        try {
            Method decap = kem.getClass().getDeclaredMethod("Decap", byte[].class, AsymmetricCipherKeyPair.class);
            decap.setAccessible(true);
            return (byte[]) decap.invoke(kem, enc, recipient);
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("Bouncy Castle's DHKEM changed: " + e, e);
        }
    }

    static byte[] key(HPKEContext context) {
        return (byte[]) field(aeadClass(), "key", field(HPKEContext.class, "aead", context));
    }

    static byte[] baseNonce(HPKEContext context) {
        return (byte[]) field(aeadClass(), "baseNonce", field(HPKEContext.class, "aead", context));
    }

    static byte[] exporterSecret(HPKEContext context) {
        return (byte[]) field(HPKEContext.class, "exporterSecret", context);
    }

    private static Class<?> aeadClass() {
        return org.bouncycastle.crypto.hpke.AEAD.class;
    }

    private static Object field(Class<?> type, String name, Object target) {
        try {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return field.get(target);
        } catch (NoSuchFieldException | IllegalAccessException e) {
            throw new IllegalStateException("Bouncy Castle's HPKE changed: " + e, e);
        }
    }
}
