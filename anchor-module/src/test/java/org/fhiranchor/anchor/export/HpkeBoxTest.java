package org.fhiranchor.anchor.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.export.RecipientBox.BoxException;
import org.junit.jupiter.api.Test;

/** {@code fhir-anchor-box/2}: Bouncy Castle's HPKE against RFC 9180, and the format's known-answer vector. */
class HpkeBoxTest {

    private static final Path VECTOR = Path.of("..", "docs", "test-vectors", "research-box-v2.json");

    // RFC 9180 appendix A.1.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base mode.
    private static final String INFO = "4f6465206f6e2061204772656369616e2055726e"; // "Ode on a Grecian Urn"
    private static final String IKM_E = "7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234";
    private static final String PK_EM = "37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431";
    private static final String SK_EM = "52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736";
    private static final String IKM_R = "6db9df30aa07dd42ee5e8181afdb977e538f5e1fec8a06223f33f7013e525037";
    private static final String PK_RM = "3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d";
    private static final String SK_RM = "4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8";
    private static final String ENC = "37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431";
    private static final String SHARED_SECRET = "fe0e18c9f024ce43799ae393c7e8fe8fce9d218875e8227b0187c04e7d2ea1fc";
    private static final String KEY = "4531685d41d65f03dc48f6b8302c05b0";
    private static final String BASE_NONCE = "56d890e5accaaf011cff4b7d";
    private static final String EXPORTER_SECRET = "45ff1c2e220db587171952c0592d5f5ebe103f1561a2614e38f2ffd47e99e3f8";
    private static final String PT = "4265617574792069732074727574682c20747275746820626561757479";
    private static final String AAD_0 = "436f756e742d30"; // "Count-0"
    private static final String CT_0 =
            "f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a";
    private static final String AAD_1 = "436f756e742d31"; // "Count-1"
    private static final String CT_1 =
            "af2d7e9ac9ae7e270f46ba1f975be53c09f8d875bdc8535458c2494e8a6eab251c03d0c22a56b8ca42c2063b84";
    private static final String EXPORT_EMPTY = "3853fe2b4035195a573ffc53856e77058e15d9ea064de3e59f4961d0095250ee";
    private static final String EXPORT_00 = "2e8f0b54673c7029649d4eb9d5e33bf1872cf76d623ff164ac185da9e88c21a5";

    @Test
    void rfc9180AppendixA1_bouncyCastleGivesTheRfcValuesAtEveryStep() throws InvalidCipherTextException {
        HPKE hpke = new HPKE(HPKE.mode_base, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_AES_GCM128);
        AsymmetricCipherKeyPair derivedE = hpke.deriveKeyPair(HexFormat.of().parseHex(IKM_E));
        assertEquals(PK_EM, HexFormat.of().formatHex(hpke.serializePublicKey(derivedE.getPublic())));
        AsymmetricCipherKeyPair derivedR = hpke.deriveKeyPair(HexFormat.of().parseHex(IKM_R));
        assertEquals(PK_RM, HexFormat.of().formatHex(hpke.serializePublicKey(derivedR.getPublic())));
        // Our code holds raw 32-byte keys: take the RFC's skEm and skRm as such, as HpkeBox does.
        assertEquals(
                PK_EM,
                HexFormat.of().formatHex(RecipientBox.publicKeyOf(HexFormat.of().parseHex(SK_EM))));
        assertEquals(
                PK_RM,
                HexFormat.of().formatHex(RecipientBox.publicKeyOf(HexFormat.of().parseHex(SK_RM))));
        AsymmetricCipherKeyPair ephemeral = hpke.deserializePrivateKey(
                HexFormat.of().parseHex(SK_EM), HexFormat.of().parseHex(PK_EM));
        AsymmetricCipherKeyPair recipient = hpke.deserializePrivateKey(
                HexFormat.of().parseHex(SK_RM), HexFormat.of().parseHex(PK_RM));

        HPKEContextWithEncapsulation sender = hpke.setupBaseS(
                hpke.deserializePublicKey(HexFormat.of().parseHex(PK_RM)),
                HexFormat.of().parseHex(INFO),
                ephemeral);
        byte[] enc = sender.getEncapsulation();
        assertEquals(ENC, HexFormat.of().formatHex(enc));
        assertEquals(
                SHARED_SECRET, HexFormat.of().formatHex(BouncyCastleHpkeInternals.sharedSecret(hpke, enc, recipient)));
        assertEquals(KEY, HexFormat.of().formatHex(BouncyCastleHpkeInternals.key(sender)));
        assertEquals(BASE_NONCE, HexFormat.of().formatHex(BouncyCastleHpkeInternals.baseNonce(sender)));
        assertEquals(EXPORTER_SECRET, HexFormat.of().formatHex(BouncyCastleHpkeInternals.exporterSecret(sender)));
        assertEquals(
                CT_0,
                HexFormat.of()
                        .formatHex(sender.seal(
                                HexFormat.of().parseHex(AAD_0), HexFormat.of().parseHex(PT))));
        assertEquals(
                CT_1,
                HexFormat.of()
                        .formatHex(sender.seal(
                                HexFormat.of().parseHex(AAD_1), HexFormat.of().parseHex(PT))));
        assertEquals(EXPORT_EMPTY, HexFormat.of().formatHex(sender.export(new byte[0], 32)));
        assertEquals(EXPORT_00, HexFormat.of().formatHex(sender.export(new byte[1], 32)));

        HPKEContext receiver = hpke.setupBaseR(
                HexFormat.of().parseHex(ENC), recipient, HexFormat.of().parseHex(INFO));
        assertEquals(KEY, HexFormat.of().formatHex(BouncyCastleHpkeInternals.key(receiver)));
        assertEquals(BASE_NONCE, HexFormat.of().formatHex(BouncyCastleHpkeInternals.baseNonce(receiver)));
        assertEquals(
                PT,
                HexFormat.of()
                        .formatHex(receiver.open(
                                HexFormat.of().parseHex(AAD_0), HexFormat.of().parseHex(CT_0))));
        assertEquals(
                PT,
                HexFormat.of()
                        .formatHex(receiver.open(
                                HexFormat.of().parseHex(AAD_1), HexFormat.of().parseHex(CT_1))));
        HPKEContext again = hpke.setupBaseR(
                HexFormat.of().parseHex(ENC), recipient, HexFormat.of().parseHex(INFO));
        assertThrows(
                InvalidCipherTextException.class,
                () -> again.open(HexFormat.of().parseHex(AAD_1), HexFormat.of().parseHex(CT_0)));
    }

    @Test
    void theSuiteIsAes256GcmAndTheInfoBindsFormatAndKey() {
        assertEquals(HPKE.aead_AES_GCM256, HpkeBox.suite().getAeadId());
        assertEquals(32, HpkeBox.suite().getEncSize());
        byte[] key = RecipientBox.generateKeyPair().publicKey();
        byte[] info = HpkeBox.info(key);
        assertEquals("fhir-anchor-box/2\0", new String(info, 0, 18, StandardCharsets.US_ASCII));
        assertArrayEquals(key, Arrays.copyOfRange(info, 18, 50));
        assertEquals(50, info.length);
    }

    @Test
    void aBoxSealedToAnotherInfoDoesNotOpen() throws InvalidCipherTextException {
        RecipientBox.KeyPair recipient = RecipientBox.generateKeyPair();
        HPKE hpke = HpkeBox.suite();
        // A well-formed box/2 header, but HPKE set up with the box/1 name as info: the tag must fail.
        HPKEContextWithEncapsulation sender = hpke.setupBaseS(
                hpke.deserializePublicKey(recipient.publicKey()),
                RecipientBox.FORMAT_V1.getBytes(StandardCharsets.US_ASCII));
        byte[] header = new byte[HpkeBox.HEADER_LENGTH];
        System.arraycopy(HpkeBox.MAGIC, 0, header, 0, 4);
        System.arraycopy(HpkeBox.keyId(recipient.publicKey()), 0, header, 4, HpkeBox.KID_LENGTH);
        System.arraycopy(sender.getEncapsulation(), 0, header, 4 + HpkeBox.KID_LENGTH, HpkeBox.ENC_LENGTH);
        byte[] ciphertext = sender.seal(header, "x".getBytes(StandardCharsets.UTF_8));
        byte[] box = Arrays.copyOf(header, header.length + ciphertext.length);
        System.arraycopy(ciphertext, 0, box, header.length, ciphertext.length);
        BoxException e = assertThrows(BoxException.class, () -> RecipientBox.open(box, recipient.privateKey()));
        assertTrue(e.getMessage().startsWith("cannot open: authentication failed"), e.getMessage());
    }

    /** The box/2 known-answer vector committed to docs/test-vectors; regenerate with FHIR_ANCHOR_WRITE_VECTORS=1. */
    static String knownAnswerVector() throws BoxException {
        byte[] recipientPrivate = HexFormat.of()
                .parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"); // RFC 7748 Bob
        byte[] ephemeralPrivate = HexFormat.of()
                .parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"); // RFC 7748 Alice
        byte[] recipientPublic = RecipientBox.publicKeyOf(recipientPrivate);
        byte[] enc = RecipientBox.publicKeyOf(ephemeralPrivate);
        String plaintext =
                "{\"id\":\"a1\",\"resourceType\":\"Patient\"}\n{\"id\":\"b2\",\"resourceType\":\"Patient\"}\n";
        byte[] box =
                new RecipientBox(ephemeralPrivate).seal(plaintext.getBytes(StandardCharsets.UTF_8), recipientPublic);
        byte[] header = Arrays.copyOf(box, HpkeBox.HEADER_LENGTH);
        assertArrayEquals(enc, Arrays.copyOfRange(header, 4 + HpkeBox.KID_LENGTH, HpkeBox.HEADER_LENGTH));

        HPKE hpke = HpkeBox.suite();
        AsymmetricCipherKeyPair recipient = hpke.deserializePrivateKey(recipientPrivate, recipientPublic);
        HPKEContext receiver = hpke.setupBaseR(enc, recipient, HpkeBox.info(recipientPublic));

        Map<String, String> v = new LinkedHashMap<>();
        v.put(
                "description",
                "fhir-anchor-box/2 (docs/research-export.md section 4.1): HPKE (RFC 9180) base mode, "
                        + "DHKEM(X25519, HKDF-SHA256) 0x0020, HKDF-SHA256 0x0001, AES-256-GCM 0x0002, with a fixed ephemeral "
                        + "key; keys are the RFC 7748 section 6.1 pair (recipient = Bob, ephemeral = Alice). Intermediate "
                        + "values are Bouncy Castle's. Generated by anchor-module HpkeBoxTest.");
        v.put("recipientPrivateKey", RecipientBox.encodeKey(recipientPrivate));
        v.put("recipientPrivateKeyHex", HexFormat.of().formatHex(recipientPrivate));
        v.put("recipientPublicKey", RecipientBox.encodeKey(recipientPublic));
        v.put("recipientPublicKeyHex", HexFormat.of().formatHex(recipientPublic));
        v.put("ephemeralPrivateKeyHex", HexFormat.of().formatHex(ephemeralPrivate));
        v.put("encHex", HexFormat.of().formatHex(enc));
        v.put("kidHex", HexFormat.of().formatHex(HpkeBox.keyId(recipientPublic)));
        v.put("infoHex", HexFormat.of().formatHex(HpkeBox.info(recipientPublic)));
        v.put(
                "sharedSecretHex",
                HexFormat.of().formatHex(BouncyCastleHpkeInternals.sharedSecret(hpke, enc, recipient)));
        v.put("keyHex", HexFormat.of().formatHex(BouncyCastleHpkeInternals.key(receiver)));
        v.put("baseNonceHex", HexFormat.of().formatHex(BouncyCastleHpkeInternals.baseNonce(receiver)));
        v.put("exporterSecretHex", HexFormat.of().formatHex(BouncyCastleHpkeInternals.exporterSecret(receiver)));
        v.put("aadHex", HexFormat.of().formatHex(header));
        v.put("plaintext", plaintext);
        v.put("plaintextSha256", RecipientBox.sha256Hex(plaintext.getBytes(StandardCharsets.UTF_8)));
        v.put("boxHex", HexFormat.of().formatHex(box));
        v.put("boxSha256", RecipientBox.sha256Hex(box));
        return RecipientBoxTest.json(v);
    }

    @Test
    void boxV2KnownAnswerVectorIsCommittedAndOpens() throws IOException, BoxException {
        String generated = knownAnswerVector();
        if ("1".equals(System.getenv("FHIR_ANCHOR_WRITE_VECTORS"))) {
            Files.writeString(VECTOR, generated, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(VECTOR), VECTOR.toAbsolutePath() + " is missing; run with FHIR_ANCHOR_WRITE_VECTORS=1");
        assertEquals(generated, Files.readString(VECTOR, StandardCharsets.UTF_8), VECTOR + " is stale");

        JsonObject v = JsonParser.parseObject(Files.readAllBytes(VECTOR));
        byte[] box = HexFormat.of().parseHex(v.getString("boxHex"));
        byte[] privateKey = RecipientBox.decodePrivateKey(v.getString("recipientPrivateKey"));
        assertEquals(v.getString("plaintext"), new String(RecipientBox.open(box, privateKey), StandardCharsets.UTF_8));
        assertEquals("FAB2", new String(box, 0, 4, StandardCharsets.US_ASCII));
        // enc is the ephemeral public key: RFC 7748 Alice's.
        assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", v.getString("encHex"));
        // The ciphertext is the single-shot AES-256-GCM seal at sequence 0 with the listed key and base_nonce.
        assertEquals(32, HexFormat.of().parseHex(v.getString("keyHex")).length);
        byte[] changed = box.clone();
        changed[box.length - 1] ^= 1;
        assertThrows(BoxException.class, () -> RecipientBox.open(changed, privateKey));
    }
}
