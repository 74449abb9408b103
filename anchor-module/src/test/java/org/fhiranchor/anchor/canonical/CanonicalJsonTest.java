package org.fhiranchor.anchor.canonical;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalJsonTest {

    private static String canonical(String json) {
        return new String(CanonicalJson.canonicalize(json.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void removesWhitespaceAndSortsKeys() {
        assertEquals(
                "{\"a\":[1,true,false,null],\"b\":{\"c\":\"d\",\"e\":{}},\"z\":[]}",
                canonical(" {\n \"z\" : [ ] ,\t\"b\":{\"e\":{},\"c\":\"d\"},\r\n\"a\":[1 , true,false, null]} "));
    }

    @Test
    void sortsKeysByUtf16CodeUnitsNotCodePoints() {
        // U+FB33 (a BMP character) sorts AFTER U+1F600 when comparing UTF-16 code units (0xFB33 > 0xD83D),
        // though its code point is smaller; RFC 8785 section 3.2.3 requires the code-unit order.
        String json = "{\"\uFB33\":1,\"\uD83D\uDE00\":2,\"\u00e9\":3,\"Z\":4,\"a\":5,\"\":6,\"\\u0000\":7}";
        assertEquals(
                "{\"\":6,\"\\u0000\":7,\"Z\":4,\"a\":5,\"\u00e9\":3,\"\uD83D\uDE00\":2,\"\uFB33\":1}", canonical(json));
    }

    @Test
    void rfc8785ExampleOfKeyOrdering() {
        // The sorting example of RFC 8785 section 3.2.3 (its values replaced by their expected position).
        String json =
                "{\"\\u20ac\":5,\"\\r\":1,\"\\ufb33\":7,\"1\":2,\"\\ud83d\\ude00\":6,\"\\u0080\":3,\"\\u00f6\":4}";
        assertEquals(
                "{\"\\r\":1,\"1\":2,\"\u0080\":3,\"\u00f6\":4,\"\u20ac\":5,\"\uD83D\uDE00\":6,\"\uFB33\":7}",
                canonical(json));
    }

    @Test
    void escapesOnlyWhatRfc8785Escapes() {
        String json =
                "\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0001 \\u001F \\u007f \\u00e9 \\u2028 \\uD83D\\uDE00 <>&'\"";
        assertEquals(
                "\"\\\" \\\\ / \\b \\f \\n \\r \\t \\u0001 \\u001f \u007f \u00e9 \u2028 \uD83D\uDE00 <>&'\"",
                canonical(json));
    }

    @Test
    void writesNonAsciiAsLiteralUtf8() {
        byte[] out = CanonicalJson.canonicalize("\"\\u00e9\\ud83d\\ude00\"".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(
                new byte[] {'"', (byte) 0xc3, (byte) 0xa9, (byte) 0xf0, (byte) 0x9f, (byte) 0x98, (byte) 0x80, '"'},
                out);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "125.00",
                "7.20",
                "1E+2",
                "1e2",
                "-0",
                "0",
                "-0.0",
                "1.5e-07",
                "12345678901234567890123",
                "0.1000000000000000055511151231257827",
                "1E400"
            })
    void keepsNumberLexemes(String number) {
        assertEquals(number, canonical(number));
        assertEquals("{\"value\":" + number + "}", canonical("{ \"value\" : " + number + " }"));
    }

    @Test
    void fhirQuantityKeepsDecimalPrecision() {
        assertEquals("{\"unit\":\"mg\",\"value\":7.20}", canonical("{\"value\": 7.20, \"unit\": \"mg\"}"));
    }

    @Test
    void isIdempotent() {
        String json = "{\"b\":[{\"y\":1.0,\"x\":\"\\u001f\\n\"}],\"a\":\"\u00e9\\ud83d\\ude00\",\"c\":-0}";
        byte[] once = CanonicalJson.canonicalize(json.getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(once, CanonicalJson.canonicalize(once));
    }

    @Test
    void contentHashIsSha256OfCanonicalBytes() {
        byte[] hash = ContentHash.of("{ \"b\": 1, \"a\": 2 }".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(ContentHash.sha256("{\"a\":2,\"b\":1}".getBytes(StandardCharsets.UTF_8)), hash);
        assertArrayEquals(
                hash,
                ContentHash.of("{\"a\":2,\"b\":1}".getBytes(StandardCharsets.UTF_8)),
                "the same document hashes the same whatever its formatting");
        assertArrayEquals(new byte[32], ContentHash.deleted());
    }

    @Test
    void numberPrecisionChangesTheHash() {
        assertTrue(!java.util.Arrays.equals(
                ContentHash.of("{\"v\":7.2}".getBytes(StandardCharsets.UTF_8)),
                ContentHash.of("{\"v\":7.20}".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void serializeRejectsNothingItCannotRepresent() {
        assertThrows(IllegalArgumentException.class, () -> new JsonString("\uD83D"));
        assertThrows(IllegalArgumentException.class, () -> new JsonString("\uDE00x"));
        assertThrows(IllegalArgumentException.class, () -> new JsonNumber("01"));
    }
}
