package org.fhiranchor.ipfs.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.fhiranchor.ipfs.unixfs.ChunkedBytes;
import org.junit.jupiter.api.Test;

class EnvelopeCipherTest {
    private static final byte[] PLAINTEXT =
            "{\"resourceType\":\"Bundle\",\"type\":\"collection\"}".getBytes(StandardCharsets.UTF_8);

    private final KeyRing ring = KeyRing.of("archive-2026-01", KeyRing.generateKey());
    private final EnvelopeCipher cipher = new EnvelopeCipher(ring);

    /**
     * Known-answer vector, also printed in docs/archive.md. Archive key 00..1f, key id "k1", then data key, wrap IV
     * and payload IV taken in that order from the byte sequence 20, 21, 22, ... Cross-checked once with Python's
     * {@code cryptography} AESGCM (an independent AES-GCM implementation) following the documented layout.
     */
    @Test
    void knownAnswer() {
        byte[] archiveKey = sequence(0x00, 32);
        EnvelopeCipher fixed = new EnvelopeCipher(KeyRing.of("k1", archiveKey), new CountingRandom(0x20));
        byte[] envelope = fixed.seal("hello archive".getBytes(StandardCharsets.US_ASCII));
        assertEquals(KNOWN_ENVELOPE_HEX, HexFormat.of().formatHex(envelope));
        assertEquals(
                "hello archive",
                new String(new EnvelopeCipher(KeyRing.of("k1", archiveKey)).open(envelope), StandardCharsets.US_ASCII));
    }

    static final String KNOWN_ENVELOPE_HEX = "4641414501026b31" // magic, version 1, key id length 2, "k1"
            + "404142434445464748494a4b" // wrap IV
            + "c2988c000219a124e5ed3d1db7493d7449f7606f830039144f7e74deab2ed3e46396b263e646602c084b2e31155b4202" // wrapped data key + tag
            + "4c4d4e4f5051525354555657" // payload IV
            + "a5b227ad60bffe7f2ab32587b5364427ddb7da03e103e19e1b72407e02";

    @Test
    void roundTripsAnySize() {
        Random random = new Random(11);
        for (int size : new int[] {0, 1, 15, 16, 17, 1 << 20}) {
            byte[] plaintext = new byte[size];
            random.nextBytes(plaintext);
            byte[] envelope = cipher.seal(plaintext);
            assertEquals(6 + "archive-2026-01".length() + 12 + 48 + 12 + size + 16, envelope.length);
            assertArrayEquals(plaintext, cipher.open(envelope));
        }
    }

    /**
     * The streaming seal, fed in uneven pieces into chunked content (chunk boundaries fall mid-write), gives the
     * bytes the one-shot seal gives for the same randomness, and they open to the plaintext.
     */
    @Test
    void streamedSealMatchesOneShotSeal() throws Exception {
        byte[] archiveKey = sequence(0x00, 32);
        byte[] plaintext = new byte[300_001];
        new Random(5).nextBytes(plaintext);
        byte[] oneShot = new EnvelopeCipher(KeyRing.of("k1", archiveKey), new CountingRandom(0x20)).seal(plaintext);

        ChunkedBytes streamed = new ChunkedBytes();
        try (OutputStream sealing =
                new EnvelopeCipher(KeyRing.of("k1", archiveKey), new CountingRandom(0x20)).sealing(streamed)) {
            for (int offset = 0, step = 1; offset < plaintext.length; offset += step, step = step * 3 % 9_973 + 1) {
                sealing.write(plaintext, offset, Math.min(step, plaintext.length - offset));
            }
        }

        assertEquals(oneShot.length, streamed.size());
        assertArrayEquals(oneShot, streamed.toByteArray());
        assertArrayEquals(plaintext, new EnvelopeCipher(KeyRing.of("k1", archiveKey)).open(streamed.toByteArray()));
    }

    @Test
    void sealingTwiceGivesUnrelatedBytes() {
        byte[] first = cipher.seal(PLAINTEXT);
        byte[] second = cipher.seal(PLAINTEXT);
        assertFalse(Arrays.equals(first, second));
        int headerEnd = EnvelopeHeader.parse(first).keyBindingLength();
        // Same magic/version/key id, everything after it differs.
        assertArrayEquals(Arrays.copyOf(first, headerEnd), Arrays.copyOf(second, headerEnd));
        assertFalse(Arrays.equals(
                Arrays.copyOfRange(first, headerEnd, headerEnd + 12),
                Arrays.copyOfRange(second, headerEnd, headerEnd + 12)));
    }

    @Test
    void alteredCiphertextFails() {
        byte[] envelope = cipher.seal(PLAINTEXT);
        int headerLength = EnvelopeHeader.parse(envelope).length();
        for (int i = headerLength; i < envelope.length; i++) {
            byte[] altered = envelope.clone();
            altered[i] ^= 0x01;
            assertThrows(EnvelopeAuthenticationException.class, () -> cipher.open(altered), "byte " + i);
        }
    }

    @Test
    void everyAlteredHeaderByteFailsLoudly() {
        byte[] envelope = cipher.seal(PLAINTEXT);
        EnvelopeHeader header = EnvelopeHeader.parse(envelope);
        for (int i = 0; i < header.length(); i++) {
            byte[] altered = envelope.clone();
            altered[i] ^= 0x01;
            EnvelopeException failure = assertThrows(EnvelopeException.class, () -> cipher.open(altered), "byte " + i);
            Class<?> expected;
            if (i < 6) {
                expected = MalformedEnvelopeException.class; // magic, version
                if (i == 5) {
                    expected =
                            failure.getClass(); // a different key id length shifts everything: any loud failure will do
                }
            } else if (i < header.keyBindingLength()) {
                expected = UnknownKeyIdException.class; // a different key id
            } else {
                expected = EnvelopeAuthenticationException.class; // IVs, wrapped key: bound by the GCM tags
            }
            assertEquals(expected, failure.getClass(), "byte " + i);
        }
    }

    @Test
    void wrongKeyUnderTheSameIdFails() {
        byte[] envelope = cipher.seal(PLAINTEXT);
        EnvelopeCipher impostor = new EnvelopeCipher(KeyRing.of("archive-2026-01", KeyRing.generateKey()));
        EnvelopeAuthenticationException failure =
                assertThrows(EnvelopeAuthenticationException.class, () -> impostor.open(envelope));
        assertTrue(failure.getMessage().contains("archive-2026-01"));
    }

    @Test
    void unknownKeyIdFails() {
        byte[] envelope = cipher.seal(PLAINTEXT);
        EnvelopeCipher other = new EnvelopeCipher(KeyRing.of("archive-2027-01", KeyRing.generateKey()));
        UnknownKeyIdException failure = assertThrows(UnknownKeyIdException.class, () -> other.open(envelope));
        assertEquals("archive-2026-01", failure.keyId());
    }

    @Test
    void rotationKeepsOldEnvelopesReadable() {
        byte[] old = cipher.seal(PLAINTEXT);
        KeyRing rotated = ring.rotateTo("archive-2027-01", KeyRing.generateKey());
        EnvelopeCipher current = new EnvelopeCipher(rotated);
        byte[] fresh = current.seal(PLAINTEXT);

        assertEquals("archive-2027-01", EnvelopeHeader.parse(fresh).keyId());
        assertEquals("archive-2026-01", EnvelopeHeader.parse(old).keyId());
        assertArrayEquals(PLAINTEXT, current.open(old));
        assertArrayEquals(PLAINTEXT, current.open(fresh));
        assertThrows(
                UnknownKeyIdException.class, () -> new EnvelopeCipher(rotated.without("archive-2026-01")).open(old));
        assertThrows(IllegalArgumentException.class, () -> rotated.without("archive-2027-01"));
        assertThrows(IllegalArgumentException.class, () -> rotated.withKey("archive-2026-01", KeyRing.generateKey()));
    }

    @Test
    void notAnEnvelope() {
        assertThrows(MalformedEnvelopeException.class, () -> cipher.open(new byte[0]));
        assertThrows(MalformedEnvelopeException.class, () -> cipher.open(PLAINTEXT));
        byte[] envelope = cipher.seal(PLAINTEXT);
        assertThrows(MalformedEnvelopeException.class, () -> cipher.open(Arrays.copyOf(envelope, 80)));
        byte[] versionTwo = envelope.clone();
        versionTwo[4] = 2;
        assertThrows(MalformedEnvelopeException.class, () -> cipher.open(versionTwo));
    }

    private static byte[] sequence(int start, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (start + i);
        }
        return bytes;
    }

    /** Hands out 20, 21, 22, ... so that a sealed envelope is reproducible. */
    private static final class CountingRandom extends SecureRandom {
        private int next;

        CountingRandom(int start) {
            this.next = start;
        }

        @Override
        public void nextBytes(byte[] bytes) {
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) next++;
            }
        }
    }
}
