package org.fhiranchor.anchor.canonical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonParserTest {

    private static JsonFormatException rejects(String json) {
        return rejects(json.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonFormatException rejects(byte[] json) {
        return assertThrows(JsonFormatException.class, () -> JsonParser.parse(json));
    }

    @Test
    void rejectsDuplicateKeysAlsoWhenSpelledWithEscapes() {
        assertTrue(rejects("{\"a\":1,\"a\":2}").getMessage().contains("duplicate key \"a\""));
        assertTrue(rejects("{\"a\":1,\"\\u0061\":2}").getMessage().contains("duplicate key"));
        assertTrue(rejects("{\"x\":{\"k\":1,\"k\":1}}").getMessage().contains("duplicate key"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "01",
                "-01",
                "00",
                ".5",
                "+1",
                "1.",
                "1.e2",
                "1e",
                "1e+",
                "-",
                "--1",
                "NaN",
                "-NaN",
                "Infinity",
                "-Infinity",
                "0x10",
                "1_000",
                "\u0661",
                "1.5.5",
                "[01]",
                "{\"a\":.5}"
            })
    void rejectsInvalidNumbers(String json) {
        rejects(json);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "{",
                "}",
                "[",
                "[1,]",
                "[,1]",
                "{\"a\":1,}",
                "{,}",
                "{\"a\" 1}",
                "{a:1}",
                "{'a':1}",
                "'a'",
                "\"abc",
                "tru",
                "True",
                "nul",
                "[1 2]",
                "{\"a\":1 \"b\":2}",
                "\"\\x41\"",
                "\"\\u12\"",
                "\"\\u12G4\"",
                "\"\\U0041\"",
                "\"\\'\"",
                "// comment\n1"
            })
    void rejectsMalformedSyntax(String json) {
        rejects(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{} {}", "1 2", "{}x", "[]]", "\"a\"\"b\"", "null,", "{}\u0000"})
    void rejectsTrailingContent(String json) {
        assertTrue(rejects(json).getMessage().contains("trailing content"), json);
    }

    @Test
    void rejectsRawControlCharactersInStrings() {
        rejects("\"a\u0000b\"");
        rejects("\"a\nb\"");
        rejects("\"a\tb\"");
        rejects("\"\u001f\"");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"\\ud800\"",
                "\"\\udc00\"",
                "\"\\ud800x\"",
                "\"\\ud800\\u0041\"",
                "\"\\ud800\\ud800\"",
                "\"\\ude00\\ud83d\"",
                "\"\\ud83d\\n\"",
                "{\"\\ud800\":1}"
            })
    void rejectsUnpairedSurrogateEscapes(String json) {
        assertTrue(rejects(json).getMessage().contains("surrogate"), json);
    }

    @Test
    void rejectsInvalidUtf8() {
        List<byte[]> bad = List.of(
                new byte[] {'"', (byte) 0xff, '"'}, // never valid
                new byte[] {'"', (byte) 0xc3, '"'}, // truncated sequence
                new byte[] {'"', (byte) 0xc0, (byte) 0xaf, '"'}, // overlong '/'
                new byte[] {'"', (byte) 0xe0, (byte) 0x80, (byte) 0xaf, '"'}, // overlong 3-byte
                new byte[] {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'}, // UTF-8 encoded surrogate U+D800
                new byte[] {'"', (byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'}, // above U+10FFFF
                new byte[] {'"', (byte) 0x80, '"'}, // lone continuation byte
                new byte[] {'"', 'a', '"', (byte) 0xc3}); // truncated at end
        for (byte[] json : bad) {
            assertTrue(rejects(json).getMessage().contains("UTF-8"));
        }
    }

    @Test
    void rejectsByteOrderMark() {
        rejects(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '{', '}'});
    }

    @Test
    void acceptsDepth512AndRejects513() {
        JsonParser.parse(utf8(nested(JsonParser.MAX_DEPTH)));
        assertTrue(rejects(nested(JsonParser.MAX_DEPTH + 1)).getMessage().contains("nesting deeper than 512"));
        JsonParser.parse(utf8(nestedObjects(JsonParser.MAX_DEPTH)));
        rejects(nestedObjects(JsonParser.MAX_DEPTH + 1));
        // Deep input far beyond the limit fails cleanly rather than with a StackOverflowError.
        rejects(nested(100_000));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    private static String nestedObjects(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    @Test
    void exposesAnImmutableTreeWithTypedGetters() {
        JsonObject object = JsonParser.parseObject(
                "{\"resourceType\":\"Patient\",\"meta\":{\"versionId\":\"2\"},\"n\":7.20,\"list\":[1,\"x\"]}"
                        .getBytes(StandardCharsets.UTF_8));
        assertEquals("Patient", object.getString("resourceType"));
        assertEquals("7.20", object.getNumber("n").lexeme());
        assertEquals(new JsonString("2"), object.path("meta", "versionId").orElseThrow());
        assertTrue(object.path("meta", "lastUpdated").isEmpty());
        assertEquals(2, object.getArray("list").size());
        assertThrows(UnsupportedOperationException.class, () -> object.members().put("x", JsonNull.INSTANCE));
        assertThrows(
                UnsupportedOperationException.class,
                () -> object.getArray("list").elements().add(JsonNull.INSTANCE));
        assertTrue(assertThrows(JsonFormatException.class, () -> object.getString("n"))
                .getMessage()
                .contains("\"n\" must be a string"));
        assertTrue(assertThrows(JsonFormatException.class, () -> object.getString("absent"))
                .getMessage()
                .contains("missing member \"absent\""));
        assertThrows(JsonFormatException.class, () -> JsonParser.parseObject("[]".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsPlainIntegersOnly() {
        assertEquals(12L, new JsonNumber("12").asNonNegativeLong());
        assertEquals(Long.MAX_VALUE, new JsonNumber("9223372036854775807").asNonNegativeLong());
        for (String notPlain : List.of("-1", "1.0", "1e1", "-0", "9223372036854775808", "99999999999999999999")) {
            assertThrows(IllegalArgumentException.class, () -> new JsonNumber(notPlain).asNonNegativeLong(), notPlain);
        }
    }
}
