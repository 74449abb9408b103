package org.fhiranchor.anchor.tlog;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Asks one witness to cosign a checkpoint (tlog-witness {@code add-checkpoint}). It sends the consistency proof
 * from the size it believes the witness last cosigned (0 at first); on {@code 409} it learns the witness's size
 * and retries once from there, if that size is not larger than the checkpoint's. It returns only cosignature
 * lines that verify against the witness's configured key over this checkpoint; anything else is an error.
 */
public final class WitnessClient {

    /** Consistency proofs between two sizes of the log, {@code 0 < oldSize <= newSize}. */
    @FunctionalInterface
    public interface ConsistencyProofs {
        List<byte[]> between(long oldSize, long newSize);
    }

    /** A witness that did not cosign: why, in words a log operator can act on. */
    public static final class WitnessException extends Exception {
        public WitnessException(String message) {
            super(message);
        }
    }

    private final URI addCheckpoint;
    private final NoteVerifier witnessKey;
    private final HttpClient http;
    private final Duration timeout;
    private volatile long knownSize;

    /**
     * @param submissionPrefix the witness's submission URL prefix ({@code add-checkpoint} is appended)
     * @param witnessKey its cosignature verifier key (type 0x04)
     */
    public WitnessClient(URI submissionPrefix, NoteVerifier witnessKey, Duration timeout) {
        if (!witnessKey.isCosignatureKey()) {
            throw new IllegalArgumentException("a witness key is a cosignature/v1 key (type 0x04)");
        }
        String prefix = submissionPrefix.toString();
        this.addCheckpoint = URI.create(prefix.endsWith("/") ? prefix + "add-checkpoint" : prefix + "/add-checkpoint");
        this.witnessKey = witnessKey;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
    }

    public NoteVerifier key() {
        return witnessKey;
    }

    /** The witness's cosignature line on {@code checkpoint}. */
    public SignedNote.Line cosign(SignedNote checkpoint, ConsistencyProofs proofs) throws WitnessException {
        TlogCheckpoint body;
        try {
            body = TlogCheckpoint.parse(checkpoint.text());
        } catch (NoteFormatException e) {
            throw new IllegalArgumentException("not a checkpoint", e);
        }
        long size = body.treeSize();
        for (int attempt = 0; attempt < 2; attempt++) {
            long old = Math.min(knownSize, size);
            List<byte[]> proof = old == 0 || old == size ? List.of() : proofs.between(old, size);
            HttpResponse<byte[]> response = post(new AddCheckpointRequest(old, proof, checkpoint).encoded());
            switch (response.statusCode()) {
                case 200 -> {
                    knownSize = size;
                    return cosignature(checkpoint, response.body());
                }
                case 409 -> {
                    long witnessSize = conflictSize(response);
                    if (witnessSize > size) {
                        knownSize = witnessSize;
                        throw new WitnessException(witnessKey.name() + " has already cosigned size " + witnessSize
                                + ", larger than this checkpoint's " + size);
                    }
                    if (witnessSize == old) {
                        throw new WitnessException(witnessKey.name() + " refused size " + size + " with the same size "
                                + old + " it holds: it holds another root for that size");
                    }
                    knownSize = witnessSize;
                }
                default ->
                    throw new WitnessException(witnessKey.name() + " answered " + response.statusCode() + ": "
                            + printable(response.body()));
            }
        }
        throw new WitnessException(witnessKey.name() + " kept answering 409");
    }

    private HttpResponse<byte[]> post(byte[] body) throws WitnessException {
        try {
            return http.send(
                    HttpRequest.newBuilder(addCheckpoint)
                            .timeout(timeout)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new WitnessException(witnessKey.name() + " unreachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WitnessException(witnessKey.name() + ": interrupted");
        }
    }

    private long conflictSize(HttpResponse<byte[]> response) throws WitnessException {
        String type = response.headers().firstValue("Content-Type").orElse("");
        String body = new String(response.body(), StandardCharsets.US_ASCII);
        if (!type.startsWith("text/x.tlog.size") || !body.matches("(0|[1-9][0-9]{0,18})\n")) {
            throw new WitnessException(witnessKey.name() + " answered 409 without a text/x.tlog.size body");
        }
        try {
            return Long.parseLong(body.trim());
        } catch (NumberFormatException e) {
            throw new WitnessException(witnessKey.name() + " answered 409 with a size out of range");
        }
    }

    /** The response's lines are note signature lines; the one by the witness's key must verify over the checkpoint. */
    private SignedNote.Line cosignature(SignedNote checkpoint, byte[] body) throws WitnessException {
        SignedNote withLines;
        try {
            withLines = SignedNote.parse(checkpoint.text() + "\n" + new String(body, StandardCharsets.UTF_8));
        } catch (NoteFormatException e) {
            throw new WitnessException(witnessKey.name() + " answered 200 without signature lines: " + e.getMessage());
        }
        try {
            if (withLines.verifiedBy(List.of(witnessKey)).isEmpty()) {
                throw new WitnessException(witnessKey.name() + " answered no cosignature by its configured key");
            }
        } catch (SignedNote.InvalidSignatureException e) {
            throw new WitnessException(witnessKey.name() + " answered an invalid cosignature: " + e.getMessage());
        }
        return withLines.signatures().stream()
                .filter(line -> line.name().equals(witnessKey.name()) && line.keyId() == witnessKey.keyId())
                .findFirst()
                .orElseThrow();
    }

    private static String printable(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip();
        return text.replaceAll("[\\p{Cntrl}&&[^\n]]", "?");
    }
}
