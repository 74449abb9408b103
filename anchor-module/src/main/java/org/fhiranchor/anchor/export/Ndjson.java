package org.fhiranchor.anchor.export;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The NDJSON of export files: UTF-8, one JSON value per line, every line ended by {@code \n} (a missing
 * final newline is tolerated when reading), no empty lines. {@code count} in the manifest is the number of lines.
 */
public final class Ndjson {

    private Ndjson() {}

    /** The bytes of these lines, each followed by {@code \n}. */
    public static byte[] write(List<String> lines) {
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0 || line.isEmpty()) {
                throw new IllegalArgumentException("an NDJSON line must be non-empty and hold no line break");
            }
            sb.append(line).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The lines of a decrypted file; throws IllegalArgumentException for invalid UTF-8 or an empty line. */
    public static List<String> lines(byte[] utf8) {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not UTF-8");
        }
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            if (end == start) {
                throw new IllegalArgumentException("empty line " + (lines.size() + 1));
            }
            lines.add(text.substring(start, end));
            start = end + 1;
        }
        return lines;
    }
}
