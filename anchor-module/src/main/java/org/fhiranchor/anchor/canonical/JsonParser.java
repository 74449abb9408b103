package org.fhiranchor.anchor.canonical;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict RFC 8259 parser. Anything two implementations could read differently is rejected rather than
 * guessed: duplicate keys, invalid UTF-8 (including overlong forms and encoded surrogates), a byte order
 * mark, unpaired surrogate escapes, trailing content, non-RFC numbers and nesting deeper than
 * {@value #MAX_DEPTH}.
 */
public final class JsonParser {

    public static final int MAX_DEPTH = 512;

    /** The decoded input; a char array rather than a String, so that each character read is one array load. */
    private final char[] text;

    private final int length;
    private int pos;
    private int depth;

    private JsonParser(CharBuffer decoded) {
        this.text = decoded.array();
        this.length = decoded.limit();
    }

    /** Parses one JSON text from UTF-8 bytes. */
    public static JsonValue parse(byte[] utf8) {
        JsonParser parser = new JsonParser(decodeStrictUtf8(utf8));
        parser.skipWhitespace();
        JsonValue value = parser.readValue();
        parser.skipWhitespace();
        if (parser.pos != parser.length) {
            throw parser.error("trailing content after the JSON value");
        }
        return value;
    }

    /** Parses one JSON text that must be an object. */
    public static JsonObject parseObject(byte[] utf8) {
        JsonValue value = parse(utf8);
        if (!(value instanceof JsonObject object)) {
            throw new JsonFormatException("expected a JSON object at the top level");
        }
        return object;
    }

    private static CharBuffer decodeStrictUtf8(byte[] utf8) {
        if (utf8 == null) {
            throw new JsonFormatException("no input");
        }
        if (utf8.length >= 3 && (utf8[0] & 0xff) == 0xef && (utf8[1] & 0xff) == 0xbb && (utf8[2] & 0xff) == 0xbf) {
            throw new JsonFormatException("byte order mark is not allowed");
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(utf8);
        CharBuffer out = CharBuffer.allocate(utf8.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw new JsonFormatException("invalid UTF-8 at byte offset " + in.position());
        }
        result = decoder.flush(out);
        if (result.isError()) {
            throw new JsonFormatException("invalid UTF-8 at end of input");
        }
        out.flip();
        return out;
    }

    private JsonValue readValue() {
        if (pos >= length) {
            throw error("unexpected end of input, expected a value");
        }
        char c = charAt(pos);
        switch (c) {
            case '{':
                return readObject();
            case '[':
                return readArray();
            case '"':
                return new JsonString(readString());
            case 't':
                expectLiteral("true");
                return JsonBoolean.TRUE;
            case 'f':
                expectLiteral("false");
                return JsonBoolean.FALSE;
            case 'n':
                expectLiteral("null");
                return JsonNull.INSTANCE;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return readNumber();
                }
                throw error("unexpected character " + describe(c));
        }
    }

    private JsonObject readObject() {
        enter();
        pos++; // '{'
        Map<String, JsonValue> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return new JsonObject(members);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a member name string");
            }
            int keyStart = pos;
            String key = readString();
            if (members.containsKey(key)) {
                pos = keyStart;
                throw error("duplicate key \"" + key + "\"");
            }
            skipWhitespace();
            expect(':');
            skipWhitespace();
            members.put(key, readValue());
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') {
                break;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}' in object");
            }
        }
        depth--;
        return new JsonObject(members);
    }

    private JsonArray readArray() {
        enter();
        pos++; // '['
        List<JsonValue> elements = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return new JsonArray(elements);
        }
        while (true) {
            skipWhitespace();
            elements.add(readValue());
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') {
                break;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']' in array");
            }
        }
        depth--;
        return new JsonArray(elements);
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH);
        }
    }

    private String readString() {
        pos++; // opening quote
        // Most strings have no escape: scan to the closing quote and copy once.
        int start = pos;
        for (int i = start; i < length; i++) {
            char c = text[i];
            if (c == '"') {
                pos = i + 1;
                return new String(text, start, i - start);
            }
            if (c == '\\' || c < 0x20) {
                break;
            }
        }
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= length) {
                throw error("unterminated string");
            }
            char c = charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            }
            if (c < 0x20) {
                throw error("unescaped control character " + describe(c) + " in string");
            }
            if (c != '\\') {
                // Raw surrogates come only in pairs here: strict UTF-8 decoding produced them from 4-byte forms.
                sb.append(c);
                pos++;
                continue;
            }
            pos++;
            if (pos >= length) {
                throw error("unterminated escape");
            }
            char e = charAt(pos++);
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> appendUnicodeEscape(sb);
                default -> {
                    pos--;
                    throw error("invalid escape \\" + e);
                }
            }
        }
    }

    private void appendUnicodeEscape(StringBuilder sb) {
        char unit = readHex4();
        if (Character.isLowSurrogate(unit)) {
            pos -= 6;
            throw error("unpaired low surrogate escape");
        }
        if (Character.isHighSurrogate(unit)) {
            if (!startsWith("\\u", pos)) {
                throw error("high surrogate escape not followed by a low surrogate escape");
            }
            pos += 2;
            char low = readHex4();
            if (!Character.isLowSurrogate(low)) {
                pos -= 6;
                throw error("high surrogate escape not followed by a low surrogate escape");
            }
            sb.append(unit).append(low);
            return;
        }
        sb.append(unit);
    }

    private char readHex4() {
        if (pos + 4 > length) {
            throw error("truncated \\u escape");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(charAt(pos + i), 16);
            // Character.digit also accepts non-ASCII digits; JSON allows only [0-9a-fA-F].
            if (digit < 0 || charAt(pos + i) > 'f') {
                throw error("invalid hex digit in \\u escape");
            }
            value = value * 16 + digit;
        }
        pos += 4;
        return (char) value;
    }

    private JsonNumber readNumber() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) {
                throw error("leading zero in number");
            }
        } else if (isDigit(peek())) {
            skipDigits();
        } else {
            throw error("expected a digit in number");
        }
        if (peek() == '.') {
            pos++;
            if (!isDigit(peek())) {
                throw error("expected a digit after the decimal point");
            }
            skipDigits();
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("expected a digit in the exponent");
            }
            skipDigits();
        }
        return new JsonNumber(new String(text, start, pos - start));
    }

    private void skipDigits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void expectLiteral(String literal) {
        if (!startsWith(literal, pos)) {
            throw error("invalid literal, expected " + literal);
        }
        pos += literal.length();
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    /** The current character, or U+FFFF at end of input (never valid at a structural position). */
    private char peek() {
        return pos < length ? charAt(pos) : '\uffff';
    }

    private void skipWhitespace() {
        while (pos < length) {
            char c = charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private char charAt(int index) {
        return text[index];
    }

    private boolean startsWith(String prefix, int at) {
        if (at + prefix.length() > length) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (text[at + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private JsonFormatException error(String message) {
        return new JsonFormatException(message + " at character " + pos);
    }

    private static String describe(char c) {
        return String.format("U+%04X", (int) c);
    }
}
