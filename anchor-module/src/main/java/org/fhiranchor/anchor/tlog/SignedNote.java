package org.fhiranchor.anchor.tlog;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/**
 * A signed note (c2sp.org/signed-note): UTF-8 text ending in a newline, a blank line, then one or more
 * signature lines {@code — <key name> <base64(4-byte key ID || signature)>}. No control characters other
 * than the newline anywhere. Parsing checks the syntax only; {@link #verifiedBy} checks signatures.
 */
public record SignedNote(String text, List<Line> signatures) {

    /** The em dash (U+2014) and space that start every signature line. */
    static final String SIGNATURE_PREFIX = "\u2014 ";

    private static final int MAX_SIGNATURES = 100;
    private static final int MAX_NOTE_BYTES = 1 << 20;

    /** One signature line: the key name, the key ID and the signature bytes after the key ID. */
    public record Line(String name, int keyId, byte[] signature) {

        public Line {
            signature = signature.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }

        String encoded() {
            return signatureLine(name, NoteKeys.concat(NoteKeys.intBytes(keyId), signature));
        }
    }

    public SignedNote {
        signatures = List.copyOf(signatures);
    }

    static String signatureLine(String name, byte[] keyIdAndSignature) {
        return SIGNATURE_PREFIX + name + " " + Base64.getEncoder().encodeToString(keyIdAndSignature) + "\n";
    }

    /** Checks that {@code text} may be the text of a note. */
    static void checkText(String text) {
        if (text.isEmpty() || !text.endsWith("\n")) {
            throw new IllegalArgumentException("a note's text must end with a newline");
        }
        if (text.codePoints().anyMatch(c -> c < 0x20 && c != '\n')) {
            throw new IllegalArgumentException("a note's text must not hold control characters other than newline");
        }
    }

    public static SignedNote parse(byte[] bytes) throws NoteFormatException {
        if (bytes.length > MAX_NOTE_BYTES) {
            throw new NoteFormatException("note larger than " + MAX_NOTE_BYTES + " bytes");
        }
        String message;
        try {
            message = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new NoteFormatException("note is not valid UTF-8");
        }
        return parse(message);
    }

    public static SignedNote parse(String message) throws NoteFormatException {
        if (message.codePoints().anyMatch(c -> c < 0x20 && c != '\n')) {
            throw new NoteFormatException("note holds a control character other than newline");
        }
        int split = message.lastIndexOf("\n\n");
        if (split < 0) {
            throw new NoteFormatException("note has no blank line before its signatures");
        }
        String text = message.substring(0, split + 1);
        String block = message.substring(split + 2);
        if (block.isEmpty() || !block.endsWith("\n")) {
            throw new NoteFormatException("note has no signature lines, or they do not end with a newline");
        }
        List<Line> lines = new ArrayList<>();
        for (String line : block.substring(0, block.length() - 1).split("\n", -1)) {
            if (lines.size() == MAX_SIGNATURES) {
                throw new NoteFormatException("more than " + MAX_SIGNATURES + " signatures");
            }
            lines.add(parseLine(line));
        }
        return new SignedNote(text, lines);
    }

    private static Line parseLine(String line) throws NoteFormatException {
        if (!line.startsWith(SIGNATURE_PREFIX)) {
            throw new NoteFormatException("signature line does not start with an em dash and a space");
        }
        String rest = line.substring(SIGNATURE_PREFIX.length());
        int space = rest.indexOf(' ');
        if (space <= 0) {
            throw new NoteFormatException("signature line has no key name and signature");
        }
        String name = rest.substring(0, space);
        String b64 = rest.substring(space + 1);
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new NoteFormatException("signature of " + name + " is not base64");
        }
        if (!NoteKeys.isValidName(name) || decoded.length < 5) {
            throw new NoteFormatException("malformed signature line for key " + name);
        }
        int keyId = ByteBuffer.wrap(decoded, 0, 4).getInt();
        return new Line(name, keyId, java.util.Arrays.copyOfRange(decoded, 4, decoded.length));
    }

    /**
     * The known keys whose signature this note carries and verifies. A signature by a known key (same name
     * and key ID) that does not verify is an error, as in Go's note.Open; signatures by unknown keys are
     * ignored.
     */
    public List<NoteVerifier> verifiedBy(Collection<NoteVerifier> known) throws InvalidSignatureException {
        List<NoteVerifier> verified = new ArrayList<>();
        for (Line line : signatures) {
            for (NoteVerifier key : known) {
                if (key.name().equals(line.name()) && key.keyId() == line.keyId()) {
                    if (!key.verifies(text, line.signature())) {
                        throw new InvalidSignatureException(
                                "invalid signature by " + key.name() + "+" + String.format("%08x", key.keyId()));
                    }
                    if (!verified.contains(key)) {
                        verified.add(key);
                    }
                }
            }
        }
        return verified;
    }

    /** The note with another signature line appended (a cosignature), unless an identical line is there. */
    public SignedNote withSignature(Line line) {
        for (Line existing : signatures) {
            if (existing.name().equals(line.name())
                    && existing.keyId() == line.keyId()
                    && java.util.Arrays.equals(existing.signature(), line.signature())) {
                return this;
            }
        }
        List<Line> all = new ArrayList<>(signatures);
        all.add(line);
        return new SignedNote(text, all);
    }

    /** The note as served: text, blank line, signature lines. */
    public String encoded() {
        StringBuilder out = new StringBuilder(text).append('\n');
        for (Line line : signatures) {
            out.append(line.encoded());
        }
        return out.toString();
    }

    /** A signature by a known key that does not verify. */
    public static final class InvalidSignatureException extends Exception {
        public InvalidSignatureException(String message) {
            super(message);
        }
    }
}
