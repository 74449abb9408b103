package org.fhiranchor.anchor.tlog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fhiranchor.anchor.log.CheckResult;
import org.fhiranchor.anchor.log.MerkleVerifier;

/**
 * A tlog-witness (c2sp.org/tlog-witness): for each log it knows (by origin and note key) it keeps the latest
 * checkpoint it cosigned, and cosigns a new one only if it is signed by the log and consistent with that one.
 * The check of the old size and the update of the state happen under one lock, and the state is written to
 * its file (atomically replaced) before the cosignature is returned.
 */
public final class Witness {

    /** An HTTP answer: status, content type, body. */
    public record Response(int status, String contentType, byte[] body) {
        static Response text(int status, String message) {
            return new Response(status, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private record Latest(long size, byte[] root) {}

    private final NoteSigner key;
    private final Map<String, NoteVerifier> logs = new HashMap<>();
    private final Path stateFile;
    private final Clock clock;
    private final Map<String, Latest> state = new HashMap<>();

    /**
     * @param key the witness's key; its name is the witness name
     * @param logKeys the note verifier keys of the logs it witnesses (their names are the origins)
     * @param stateFile where the latest cosigned size and root per origin are kept, one line each
     */
    public Witness(NoteSigner key, List<NoteVerifier> logKeys, Path stateFile, Clock clock) {
        this.key = key;
        logKeys.forEach(log -> logs.put(log.name(), log));
        this.stateFile = stateFile;
        this.clock = clock;
        load();
    }

    /** The cosignature verifier key to give the logs and their clients. */
    public String verifierKey() {
        return Cosignature.verifierKey(key);
    }

    public synchronized Response addCheckpoint(byte[] body) {
        AddCheckpointRequest request;
        TlogCheckpoint checkpoint;
        try {
            request = AddCheckpointRequest.parse(body);
            checkpoint = TlogCheckpoint.parse(request.checkpoint().text());
        } catch (NoteFormatException e) {
            return Response.text(400, "malformed add-checkpoint request: " + e.getMessage());
        }
        NoteVerifier log = logs.get(checkpoint.origin());
        if (log == null) {
            return Response.text(404, "unknown log origin " + checkpoint.origin());
        }
        try {
            if (request.checkpoint().verifiedBy(List.of(log)).isEmpty()) {
                return Response.text(403, "the checkpoint carries no signature by the log's key");
            }
        } catch (SignedNote.InvalidSignatureException e) {
            return Response.text(403, e.getMessage());
        }
        if (request.oldSize() > checkpoint.treeSize()) {
            return Response.text(400, "old size " + request.oldSize() + " is larger than the checkpoint's size");
        }
        Latest latest = state.getOrDefault(checkpoint.origin(), new Latest(0, null));
        if (request.oldSize() != latest.size()) {
            return new Response(409, "text/x.tlog.size", (latest.size() + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        if (latest.size() == checkpoint.treeSize()) {
            if (latest.root() != null && !java.util.Arrays.equals(latest.root(), checkpoint.rootHash())) {
                return new Response(
                        409, "text/x.tlog.size", (latest.size() + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        } else if (latest.size() == 0) {
            if (!request.consistencyProof().isEmpty()) {
                return Response.text(422, "the consistency proof from size 0 must be empty");
            }
        } else {
            CheckResult consistent = MerkleVerifier.verifyConsistency(
                    latest.size(),
                    checkpoint.treeSize(),
                    latest.root(),
                    checkpoint.rootHash(),
                    request.consistencyProof());
            if (!consistent.passed()) {
                return Response.text(422, "consistency proof does not verify: " + consistent.reason());
            }
        }
        state.put(checkpoint.origin(), new Latest(checkpoint.treeSize(), checkpoint.rootHash()));
        try {
            save();
        } catch (UncheckedIOException e) {
            // Not persisted, so not cosigned: the old state stays in force.
            state.put(checkpoint.origin(), latest);
            if (latest.root() == null) {
                state.remove(checkpoint.origin());
            }
            return Response.text(500, "the witness could not persist its state");
        }
        SignedNote.Line line = Cosignature.sign(
                key, clock.instant().getEpochSecond(), request.checkpoint().text());
        return new Response(200, "text/plain; charset=utf-8", line.encoded().getBytes(StandardCharsets.UTF_8));
    }

    private void load() {
        if (!Files.exists(stateFile)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(stateFile, StandardCharsets.UTF_8)) {
                String[] parts = line.split(" ");
                if (parts.length == 3) {
                    state.put(
                            parts[0],
                            new Latest(
                                    Long.parseLong(parts[1]),
                                    Base64.getDecoder().decode(parts[2])));
                } else if (!line.isBlank()) {
                    throw new IllegalStateException("unreadable witness state line in " + stateFile + ": " + line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the witness state " + stateFile, e);
        }
    }

    private void save() {
        StringBuilder out = new StringBuilder();
        state.forEach((origin, latest) -> out.append(origin)
                .append(' ')
                .append(latest.size())
                .append(' ')
                .append(Base64.getEncoder().encodeToString(latest.root()))
                .append('\n'));
        try {
            Path parent = stateFile.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temp = Files.createTempFile(parent, ".witness-state", ".tmp");
            Files.writeString(temp, out, StandardCharsets.UTF_8);
            Files.move(temp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the witness state " + stateFile, e);
        }
    }
}
