package org.fhiranchor.ipfs.cid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CidTest {
    // "hello world" as CIDv1 raw sha2-256: ipfs/kubo test/cli/add_test.go (shortStringCidV1) and FACTS.md.
    static final String HELLO_RAW_BASE32 = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e";
    // The same CID in base58btc, as js-ipfs prints it: net-ipfs-core docs (RawLeaves example, "hello world").
    static final String HELLO_RAW_BASE58 = "zb2rhj7crUKTQYRGCRATFaQ6YFLTde2YzdqbbhAASkL9uRDXn";
    // "hello\n" as CIDv0 and the same node as CIDv1: ipfs/kubo test/sharness/t0114-gateway-subdomains/README.md.
    static final String HELLO_V0 = "QmZULkCELmmk5XNfCgTnCyFgAVxBRBXyDHGGMVoLFLiXEN";
    static final String HELLO_V0_AS_V1 = "bafybeiffndsajwhk3lwjewwdxqntmjm4b5wxaaanokonsggenkbw6slwk4";

    @Test
    void helloWorldRawCidMatchesKubo() {
        Cid cid = Cid.sha256(Multicodec.RAW, "hello world".getBytes(StandardCharsets.US_ASCII));
        assertEquals(HELLO_RAW_BASE32, cid.toString());
        assertEquals(HELLO_RAW_BASE58, cid.toString(Multibase.BASE58BTC));
        assertEquals(1, cid.version());
        assertEquals(Multicodec.RAW, cid.codec());
        assertArrayEquals(
                HexFormat.of().parseHex("01551220b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"),
                cid.bytes());
    }

    @Test
    void base32AndBase58SpellingsAreTheSameCid() {
        Cid base32 = Cid.parse(HELLO_RAW_BASE32);
        Cid base58 = Cid.parse(HELLO_RAW_BASE58);
        assertEquals(base32, base58);
        assertEquals(base32.hashCode(), base58.hashCode());
        assertEquals(HELLO_RAW_BASE32, base58.toString());
    }

    @Test
    void cidV0ParsesAndConvertsToV1() {
        Cid v0 = Cid.parse(HELLO_V0);
        assertEquals(0, v0.version());
        assertEquals(Multicodec.DAG_PB, v0.codec());
        assertEquals(HELLO_V0, v0.toString());
        assertEquals(34, v0.byteLength());
        assertEquals(HELLO_V0_AS_V1, v0.toV1().toString());
        assertNotEquals(v0, v0.toV1()); // different bytes, different CIDs, as in Kubo
        assertEquals(v0.multihash(), Cid.parse(HELLO_V0_AS_V1).multihash());
    }

    @Test
    void binaryRoundTripAndParseWithTrailingBytes() {
        Cid cid = Cid.parse(HELLO_RAW_BASE32);
        assertEquals(cid, Cid.fromBytes(cid.bytes()));
        byte[] longer = new byte[cid.byteLength() + 5];
        System.arraycopy(cid.bytes(), 0, longer, 0, cid.byteLength());
        Cid.Parsed parsed = Cid.parse(longer, 0);
        assertEquals(cid, parsed.cid());
        assertEquals(cid.byteLength(), parsed.length());
        assertThrows(IllegalArgumentException.class, () -> Cid.fromBytes(longer));
    }

    @Test
    void rejectsMalformedText() {
        assertThrows(IllegalArgumentException.class, () -> Cid.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Cid.parse("xabc"));
        assertThrows(IllegalArgumentException.class, () -> Cid.parse("bafkrei0"));
        assertThrows(IllegalArgumentException.class, () -> Cid.parse(HELLO_RAW_BASE32.substring(0, 30)));
        assertThrows(
                IllegalArgumentException.class, () -> Cid.parse("zb2rhj7crUKTQYRGCRATFaQ6YFLTde2YzdqbbhAASkL9uRDX0"));
        // version 2 does not exist
        assertThrows(IllegalArgumentException.class, () -> Cid.fromBytes(new byte[] {2, 0x55, 0x12, 0}));
    }

    @Test
    void base32MatchesRfc4648Vectors() {
        // RFC 4648 section 10, lower-cased, padding removed.
        String[][] vectors = {
            {"", ""},
            {"f", "my"},
            {"fo", "mzxq"},
            {"foo", "mzxw6"},
            {"foob", "mzxw6yq"},
            {"fooba", "mzxw6ytb"},
            {"foobar", "mzxw6ytboi"}
        };
        for (String[] v : vectors) {
            assertEquals(v[1], Base32.encode(v[0].getBytes(StandardCharsets.US_ASCII)));
            assertEquals(v[0], new String(Base32.decode(v[1]), StandardCharsets.US_ASCII));
        }
        assertThrows(IllegalArgumentException.class, () -> Base32.decode("my======"));
        assertThrows(IllegalArgumentException.class, () -> Base32.decode("mz")); // non-zero trailing bits
    }

    @Test
    void base58RoundTripsKeepLeadingZeros() {
        Random random = new Random(7);
        for (int n = 0; n < 200; n++) {
            byte[] data = new byte[random.nextInt(40)];
            random.nextBytes(data);
            if (data.length > 2 && n % 3 == 0) {
                data[0] = 0;
                data[1] = 0;
            }
            assertArrayEquals(data, Base58.decode(Base58.encode(data)));
        }
        assertEquals("1112", Base58.encode(new byte[] {0, 0, 0, 1}));
    }

    @Test
    void varintsAreMinimalAndBounded() throws Exception {
        long[] values = {0, 1, 127, 128, 255, 300, 16384, 0x12, 0x70, Long.MAX_VALUE >>> 1};
        for (long value : values) {
            byte[] encoded = Varint.encode(value);
            assertEquals(Varint.encodedLength(value), encoded.length);
            assertEquals(value, Varint.decode(encoded, 0).value());
            assertEquals(value, Varint.read(new ByteArrayInputStream(encoded)));
        }
        assertArrayEquals(new byte[] {(byte) 0xac, 0x02}, Varint.encode(300));
        assertThrows(IllegalArgumentException.class, () -> Varint.decode(new byte[] {(byte) 0x80, 0x00}, 0));
        assertThrows(IllegalArgumentException.class, () -> Varint.decode(new byte[] {(byte) 0x80}, 0));
        assertEquals(-1, Varint.read(new ByteArrayInputStream(new byte[0])));
    }

    @Test
    void blocksAreEqualByContent() {
        Block a = Block.of(Multicodec.RAW, new byte[] {1, 2});
        Block b = Block.verified(a.cid(), new byte[] {1, 2});
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        byte[] leaked = a.data();
        leaked[0] = 9;
        assertEquals(1, a.data()[0], "a block's bytes cannot be changed from outside");
    }

    @Test
    void verifiedBlockRejectsWrongBytes() {
        Cid cid = Cid.parse(HELLO_RAW_BASE32);
        Block.verified(cid, "hello world".getBytes(StandardCharsets.US_ASCII));
        assertThrows(
                BlockHashMismatchException.class,
                () -> Block.verified(cid, "hello World".getBytes(StandardCharsets.US_ASCII)));
    }
}
