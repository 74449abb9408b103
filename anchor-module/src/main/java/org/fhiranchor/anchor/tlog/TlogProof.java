package org.fhiranchor.anchor.tlog;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * An offline proof (c2sp.org/tlog-proof@v1):
 *
 * <pre>
 * c2sp.org/tlog-proof@v1
 * [extra &lt;base64&gt;]
 * index &lt;leaf index&gt;
 * &lt;base64 hash&gt;           (the inclusion path, leaf's sibling first, zero or more lines)
 *
 * &lt;signed checkpoint note, verbatim&gt;
 * </pre>
 *
 * FHIR Anchor puts the leaf entry ({@code docs/verification.md} section 2) in {@code extra}: with the
 * resource it lets a verifier rebuild the leaf hash. The extra data is not trusted: the verifier rebuilds the
 * entry from the resource and checks the two agree.
 */
public record TlogProof(byte[] extra, long index, List<byte[]> path, SignedNote checkpoint) {

    public static final String HEADER = "c2sp.org/tlog-proof@v1";

    public TlogProof {
        extra = extra == null ? null : extra.clone();
        if (index < 0) {
            throw new IllegalArgumentException("negative index");
        }
        path = path.stream().map(byte[]::clone).toList();
        for (byte[] hash : path) {
            if (hash.length != 32) {
                throw new IllegalArgumentException("path hashes are 32 bytes");
            }
        }
    }

    @Override
    public byte[] extra() {
        return extra == null ? null : extra.clone();
    }

    public String encoded() {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        if (extra != null) {
            out.append("extra ")
                    .append(Base64.getEncoder().encodeToString(extra))
                    .append('\n');
        }
        out.append("index ").append(index).append('\n');
        for (byte[] hash : path) {
            out.append(Base64.getEncoder().encodeToString(hash)).append('\n');
        }
        return out.append('\n').append(checkpoint.encoded()).toString();
    }

    public static TlogProof parse(String text) throws NoteFormatException {
        int blank = text.indexOf("\n\n");
        if (!text.startsWith(HEADER + "\n") || blank < 0) {
            throw new NoteFormatException(
                    "a tlog-proof starts with " + HEADER + " and has a blank line before its checkpoint");
        }
        String[] lines = text.substring(0, blank).split("\n", -1);
        int at = 1;
        byte[] extra = null;
        if (at < lines.length && lines[at].startsWith("extra ")) {
            extra = base64(lines[at].substring(6), "extra data");
            at++;
        }
        if (at >= lines.length || !lines[at].matches("index (0|[1-9][0-9]{0,18})")) {
            throw new NoteFormatException("missing or malformed index line");
        }
        long index;
        try {
            index = Long.parseLong(lines[at].substring(6));
        } catch (NumberFormatException e) {
            throw new NoteFormatException("index out of range");
        }
        List<byte[]> path = new ArrayList<>();
        for (at++; at < lines.length; at++) {
            byte[] hash = base64(lines[at], "path hash");
            if (hash.length != 32) {
                throw new NoteFormatException("path hash " + (path.size() + 1) + " is not 32 bytes");
            }
            path.add(hash);
        }
        if (path.size() > 63) {
            throw new NoteFormatException("inclusion path longer than 63 hashes");
        }
        SignedNote checkpoint = SignedNote.parse(text.substring(blank + 2));
        return new TlogProof(extra, index, path, checkpoint);
    }

    private static byte[] base64(String value, String what) throws NoteFormatException {
        try {
            byte[] bytes = Base64.getDecoder().decode(value);
            if (bytes.length == 0 || !Base64.getEncoder().encodeToString(bytes).equals(value)) {
                throw new NoteFormatException(what + " is not canonical base64");
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new NoteFormatException(what + " is not base64");
        }
    }
}
