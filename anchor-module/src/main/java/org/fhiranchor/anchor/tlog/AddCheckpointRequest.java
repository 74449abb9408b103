package org.fhiranchor.anchor.tlog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The body of a tlog-witness {@code add-checkpoint} request: {@code old <size>}, zero to 63 base64 consistency
 * proof hashes (one a line), an empty line, then the signed checkpoint note.
 */
public record AddCheckpointRequest(long oldSize, List<byte[]> consistencyProof, SignedNote checkpoint) {

    public static final int MAX_PROOF_LINES = 63;

    public AddCheckpointRequest {
        if (oldSize < 0) {
            throw new IllegalArgumentException("negative old size");
        }
        consistencyProof = consistencyProof.stream().map(byte[]::clone).toList();
        if (consistencyProof.size() > MAX_PROOF_LINES) {
            throw new IllegalArgumentException("more than 63 consistency proof lines");
        }
    }

    public byte[] encoded() {
        StringBuilder body = new StringBuilder("old ").append(oldSize).append('\n');
        for (byte[] hash : consistencyProof) {
            body.append(Base64.getEncoder().encodeToString(hash)).append('\n');
        }
        return body.append('\n').append(checkpoint.encoded()).toString().getBytes(StandardCharsets.UTF_8);
    }

    public static AddCheckpointRequest parse(byte[] body) throws NoteFormatException {
        String text = new String(body, StandardCharsets.UTF_8);
        int blank = text.indexOf("\n\n");
        if (blank < 0) {
            throw new NoteFormatException("no empty line before the checkpoint");
        }
        String[] lines = text.substring(0, blank).split("\n", -1);
        if (!lines[0].matches("old (0|[1-9][0-9]{0,18})")) {
            throw new NoteFormatException("the first line must be old <size>");
        }
        long oldSize;
        try {
            oldSize = Long.parseLong(lines[0].substring(4));
        } catch (NumberFormatException e) {
            throw new NoteFormatException("old size out of range");
        }
        if (lines.length - 1 > MAX_PROOF_LINES) {
            throw new NoteFormatException("more than 63 consistency proof lines");
        }
        List<byte[]> proof = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            byte[] hash;
            try {
                hash = Base64.getDecoder().decode(lines[i]);
            } catch (IllegalArgumentException e) {
                throw new NoteFormatException("consistency proof line " + i + " is not base64");
            }
            if (hash.length != 32) {
                throw new NoteFormatException("consistency proof line " + i + " is not a 32-byte hash");
            }
            proof.add(hash);
        }
        return new AddCheckpointRequest(
                oldSize, proof, SignedNote.parse(body.length == 0 ? "" : text.substring(blank + 2)));
    }
}
