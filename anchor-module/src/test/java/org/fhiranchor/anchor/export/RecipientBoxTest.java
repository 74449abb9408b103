package org.fhiranchor.anchor.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.export.RecipientBox.BoxException;
import org.fhiranchor.anchor.export.RecipientBox.KeyPair;
import org.junit.jupiter.api.Test;

class RecipientBoxTest {

    private static final Path VECTOR = Path.of("..", "docs", "test-vectors", "research-box.json");

    @Test
    void roundTrip_andTheKeyTextsRoundTrip() throws BoxException {
        KeyPair recipient = RecipientBox.generateKeyPair();
        byte[] plaintext = "{\"resourceType\":\"Patient\",\"id\":\"p1\"}\n".getBytes(StandardCharsets.UTF_8);
        byte[] box = new RecipientBox().seal(plaintext, recipient.publicKey());
        assertEquals(plaintext.length + RecipientBox.OVERHEAD, box.length);
        assertEquals(60, RecipientBox.OVERHEAD);
        assertEquals("FAB2", new String(box, 0, 4, StandardCharsets.US_ASCII));
        assertEquals("fhir-anchor-box/2", RecipientBox.FORMAT);
        assertArrayEquals(plaintext, RecipientBox.open(box, recipient.privateKey()));
        assertArrayEquals(
                new byte[0],
                RecipientBox.open(new RecipientBox().seal(new byte[0], recipient.publicKey()), recipient.privateKey()));

        assertEquals(43, recipient.publicKeyText().length());
        assertArrayEquals(recipient.publicKey(), RecipientBox.decodePublicKey(recipient.publicKeyText()));
        assertArrayEquals(recipient.privateKey(), RecipientBox.decodePrivateKey(recipient.privateKeyText() + "\n"));
        assertArrayEquals(recipient.publicKey(), RecipientBox.publicKeyOf(recipient.privateKey()));
        assertTrue(!recipient.toString().contains(recipient.privateKeyText()));
        // Two seals of the same plaintext differ (fresh ephemeral key).
        assertNotEquals(
                HexFormat.of().formatHex(box),
                HexFormat.of().formatHex(new RecipientBox().seal(plaintext, recipient.publicKey())));
    }

    @Test
    void anotherKeyCannotOpen() {
        KeyPair recipient = RecipientBox.generateKeyPair();
        KeyPair other = RecipientBox.generateKeyPair();
        byte[] box = new RecipientBox().seal("secret".getBytes(StandardCharsets.UTF_8), recipient.publicKey());
        BoxException e = assertThrows(BoxException.class, () -> RecipientBox.open(box, other.privateKey()));
        assertTrue(
                e.getMessage()
                        .startsWith("cannot open: the file is sealed to the key with id "
                                + HexFormat.of().formatHex(HpkeBox.keyId(recipient.publicKey()))),
                e.getMessage());
        assertTrue(e.getMessage().contains(other.publicKeyText()), e.getMessage());

        // The same key id in the header (the 8-byte id is only a hint) still fails: the info binds the key.
        byte[] relabelled = box.clone();
        System.arraycopy(HpkeBox.keyId(other.publicKey()), 0, relabelled, 4, HpkeBox.KID_LENGTH);
        BoxException tag = assertThrows(BoxException.class, () -> RecipientBox.open(relabelled, other.privateKey()));
        assertTrue(tag.getMessage().startsWith("cannot open: authentication failed"), tag.getMessage());
    }

    @Test
    void aFlippedByteAnywhereFails() throws BoxException {
        KeyPair recipient = RecipientBox.generateKeyPair();
        byte[] box = new RecipientBox()
                .seal("0123456789 abcdefghij".getBytes(StandardCharsets.UTF_8), recipient.publicKey());
        for (int i = 0; i < box.length; i++) {
            for (int bit = 0; bit < 8; bit++) { // every bit, the top bit of enc's last byte included
                byte[] altered = box.clone();
                altered[i] ^= (byte) (1 << bit);
                assertThrows(
                        BoxException.class,
                        () -> RecipientBox.open(altered, recipient.privateKey()),
                        "byte " + i + " bit " + bit);
            }
        }
        assertThrows(
                BoxException.class,
                () -> RecipientBox.open(Arrays.copyOf(box, box.length - 1), recipient.privateKey()));
        assertThrows(
                BoxException.class,
                () -> RecipientBox.open(Arrays.copyOf(box, box.length + 1), recipient.privateKey()));
        assertThrows(BoxException.class, () -> RecipientBox.open(new byte[10], recipient.privateKey()));
        assertThrows(
                BoxException.class,
                () -> RecipientBox.open(Arrays.copyOf(box, RecipientBox.OVERHEAD - 1), recipient.privateKey()));
        assertArrayEquals(
                "0123456789 abcdefghij".getBytes(StandardCharsets.UTF_8),
                RecipientBox.open(box, recipient.privateKey()));
    }

    @Test
    void rfc7748Section61_aliceAndBob_throughTheKeyEncoding() throws BoxException {
        byte[] alicePrivate =
                HexFormat.of().parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] alicePublic =
                HexFormat.of().parseHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        byte[] bobPrivate = HexFormat.of().parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        byte[] bobPublic = HexFormat.of().parseHex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        String shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

        assertEquals(
                HexFormat.of().formatHex(alicePublic),
                HexFormat.of().formatHex(RecipientBox.publicKeyOf(alicePrivate)));
        assertEquals(
                HexFormat.of().formatHex(bobPublic), HexFormat.of().formatHex(RecipientBox.publicKeyOf(bobPrivate)));
        byte[] aliceText = RecipientBox.decodePrivateKey(RecipientBox.encodeKey(alicePrivate));
        byte[] bobPublicText = RecipientBox.decodePublicKey(RecipientBox.encodeKey(bobPublic));
        assertEquals(shared, HexFormat.of().formatHex(RecipientBox.x25519(aliceText, bobPublicText)));
        assertEquals(
                shared,
                HexFormat.of()
                        .formatHex(RecipientBox.x25519(
                                bobPrivate, RecipientBox.decodePublicKey(RecipientBox.encodeKey(alicePublic)))));
    }

    @Test
    void nonCanonicalAndSmallOrderKeysAreRefused() {
        byte[] topBit = new byte[32];
        topBit[0] = 9;
        topBit[31] = (byte) 0x80;
        assertThrows(
                IllegalArgumentException.class, () -> RecipientBox.decodePublicKey(RecipientBox.encodeKey(topBit)));
        byte[] p = HexFormat.of()
                .parseHex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"); // 2^255 - 19
        assertThrows(IllegalArgumentException.class, () -> RecipientBox.decodePublicKey(RecipientBox.encodeKey(p)));
        assertThrows(IllegalArgumentException.class, () -> RecipientBox.decodePublicKey("too short"));
        assertThrows(
                IllegalArgumentException.class,
                () -> RecipientBox.decodePublicKey(RecipientBox.encodeKey(new byte[32]) + "="));
        // u = 0 and u = 1 are small-order points: the shared secret would be all zero.
        byte[] zero = new byte[32];
        byte[] one = new byte[32];
        one[0] = 1;
        assertThrows(IllegalArgumentException.class, () -> new RecipientBox().seal(new byte[1], zero));
        assertThrows(IllegalArgumentException.class, () -> new RecipientBox().seal(new byte[1], one));
        assertThrows(
                BoxException.class,
                () -> RecipientBox.x25519(RecipientBox.generateKeyPair().privateKey(), zero));
    }

    @Test
    void rfc5869TestCase1() {
        byte[] ikm = HexFormat.of().parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        byte[] salt = HexFormat.of().parseHex("000102030405060708090a0b0c");
        byte[] info = HexFormat.of().parseHex("f0f1f2f3f4f5f6f7f8f9");
        assertEquals(
                "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
                HexFormat.of().formatHex(BoxV1.hkdfSha256(ikm, salt, info, 42)));
    }

    /**
     * The box/1 known-answer vector committed to docs/test-vectors (box/1 is no longer written, but must keep
     * opening); regenerate with FHIR_ANCHOR_WRITE_VECTORS=1.
     */
    static String knownAnswerVector() throws BoxException {
        byte[] recipientPrivate = HexFormat.of()
                .parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"); // RFC 7748 Bob
        byte[] ephemeralPrivate = HexFormat.of()
                .parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"); // RFC 7748 Alice
        byte[] nonce = HexFormat.of().parseHex("000102030405060708090a0b");
        byte[] recipientPublic = RecipientBox.publicKeyOf(recipientPrivate);
        byte[] epk = RecipientBox.publicKeyOf(ephemeralPrivate);
        String plaintext =
                "{\"id\":\"a1\",\"resourceType\":\"Patient\"}\n{\"id\":\"b2\",\"resourceType\":\"Patient\"}\n";
        byte[] shared = RecipientBox.x25519(ephemeralPrivate, recipientPublic);
        byte[] salt = new byte[64];
        System.arraycopy(epk, 0, salt, 0, 32);
        System.arraycopy(recipientPublic, 0, salt, 32, 32);
        byte[] key = BoxV1.key(shared, epk, recipientPublic);
        byte[] box = BoxV1.seal(plaintext.getBytes(StandardCharsets.UTF_8), recipientPublic, ephemeralPrivate, nonce);

        Map<String, String> v = new LinkedHashMap<>();
        v.put(
                "description",
                "fhir-anchor-box/1 (docs/research-export.md section 4) with a fixed ephemeral key and "
                        + "nonce; keys are the RFC 7748 section 6.1 pair (recipient = Bob, ephemeral = Alice). "
                        + "Generated by anchor-module RecipientBoxTest.");
        v.put("recipientPrivateKey", RecipientBox.encodeKey(recipientPrivate));
        v.put("recipientPrivateKeyHex", HexFormat.of().formatHex(recipientPrivate));
        v.put("recipientPublicKey", RecipientBox.encodeKey(recipientPublic));
        v.put("recipientPublicKeyHex", HexFormat.of().formatHex(recipientPublic));
        v.put("ephemeralPrivateKeyHex", HexFormat.of().formatHex(ephemeralPrivate));
        v.put("epkHex", HexFormat.of().formatHex(epk));
        v.put("nonceHex", HexFormat.of().formatHex(nonce));
        v.put("sharedSecretHex", HexFormat.of().formatHex(shared));
        v.put("hkdfSaltHex", HexFormat.of().formatHex(salt));
        v.put("hkdfInfo", RecipientBox.FORMAT_V1);
        v.put("aesKeyHex", HexFormat.of().formatHex(key));
        v.put(
                "aadHex",
                HexFormat.of().formatHex("FAB1".getBytes(StandardCharsets.US_ASCII))
                        + HexFormat.of().formatHex(epk));
        v.put("plaintext", plaintext);
        v.put("plaintextSha256", RecipientBox.sha256Hex(plaintext.getBytes(StandardCharsets.UTF_8)));
        v.put("boxHex", HexFormat.of().formatHex(box));
        v.put("boxSha256", RecipientBox.sha256Hex(box));
        return json(v);
    }

    /** A flat JSON object of strings, one member a line, as the vector files are written. */
    static String json(Map<String, String> v) {
        StringBuilder sb = new StringBuilder("{\n");
        int i = 0;
        for (Map.Entry<String, String> e : v.entrySet()) {
            sb.append("  ")
                    .append(quote(e.getKey()))
                    .append(": ")
                    .append(quote(e.getValue()))
                    .append(++i < v.size() ? ",\n" : "\n");
        }
        return sb.append("}\n").toString();
    }

    private static String quote(String s) {
        return new String(
                org.fhiranchor.anchor.canonical.CanonicalJson.serialize(
                        new org.fhiranchor.anchor.canonical.JsonString(s)),
                StandardCharsets.UTF_8);
    }

    @Test
    void boxV1KnownAnswerVectorIsCommittedAndStillOpens() throws IOException, BoxException {
        String generated = knownAnswerVector();
        if ("1".equals(System.getenv("FHIR_ANCHOR_WRITE_VECTORS"))) {
            Files.writeString(VECTOR, generated, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(VECTOR), VECTOR.toAbsolutePath() + " is missing; run with FHIR_ANCHOR_WRITE_VECTORS=1");
        assertEquals(generated, Files.readString(VECTOR, StandardCharsets.UTF_8), VECTOR + " is stale");

        JsonObject v = JsonParser.parseObject(Files.readAllBytes(VECTOR));
        byte[] opened = RecipientBox.open(
                HexFormat.of().parseHex(v.getString("boxHex")),
                RecipientBox.decodePrivateKey(v.getString("recipientPrivateKey")));
        assertEquals(v.getString("plaintext"), new String(opened, StandardCharsets.UTF_8));
        assertEquals(
                "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", v.getString("sharedSecretHex"));
        byte[] changed = HexFormat.of().parseHex(v.getString("boxHex"));
        changed[60] ^= 1;
        assertThrows(
                BoxException.class,
                () -> RecipientBox.open(changed, RecipientBox.decodePrivateKey(v.getString("recipientPrivateKey"))));
    }
}
