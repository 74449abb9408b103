package org.fhiranchor.server.tlog;

import java.util.List;
import java.util.Optional;
import org.fhiranchor.anchor.log.MerkleTree;
import org.fhiranchor.anchor.tlog.SignedNote;
import org.fhiranchor.anchor.tlog.WitnessClient;
import org.fhiranchor.server.anchoring.Checkpoint;
import org.fhiranchor.server.anchoring.CheckpointRepository;
import org.fhiranchor.server.log.JdbcSubtreeHashes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks every configured witness that has not cosigned the latest anchored checkpoint yet to cosign it
 * (tlog-witness {@code add-checkpoint}, with a consistency proof from the size the witness last cosigned), and
 * stores each cosignature that verifies against the witness's key. A witness that refuses or answers garbage is
 * logged and asked again on the next run; nothing is stored for it.
 */
final class WitnessingJob {

    private static final Logger log = LoggerFactory.getLogger(WitnessingJob.class);

    private final CheckpointRepository checkpoints;
    private final CheckpointNotes notes;
    private final CosignatureRepository cosignatures;
    private final List<WitnessClient> witnesses;
    private final JdbcSubtreeHashes subtrees;
    /** The last size each witness refused, so that a witness that is down is reported once per size, not every run. */
    private final java.util.Map<String, Long> reported = new java.util.concurrent.ConcurrentHashMap<>();

    WitnessingJob(
            CheckpointRepository checkpoints,
            CheckpointNotes notes,
            CosignatureRepository cosignatures,
            List<WitnessClient> witnesses,
            JdbcSubtreeHashes subtrees) {
        this.checkpoints = checkpoints;
        this.notes = notes;
        this.cosignatures = cosignatures;
        this.witnesses = witnesses;
        this.subtrees = subtrees;
    }

    void run() {
        Optional<Checkpoint> latest = checkpoints.latestAnchored();
        if (latest.isEmpty()) {
            return;
        }
        long size = latest.get().treeSize();
        List<String> done = cosignatures.witnesses(size);
        SignedNote note = null;
        for (WitnessClient witness : witnesses) {
            if (done.contains(witness.key().name())) {
                continue;
            }
            if (note == null) {
                note = notes.signed(latest.get());
            }
            try {
                SignedNote.Line line = witness.cosign(note, (m, n) -> MerkleTree.consistencyPath(m, n, subtrees));
                cosignatures.store(size, witness.key().name(), encode(note, line));
                log.info("Witness {} cosigned tree size {}", witness.key().name(), size);
            } catch (WitnessClient.WitnessException e) {
                Long before = reported.put(witness.key().name(), size);
                if (before == null || before != size) {
                    log.warn(
                            "Witness did not cosign tree size {} (asked again every run; reported once per size): {}",
                            size,
                            e.getMessage());
                } else {
                    log.debug("Witness did not cosign tree size {}: {}", size, e.getMessage());
                }
            }
        }
    }

    /** The signature line as it appears in a note (em dash, name, base64), without its newline. */
    private static String encode(SignedNote note, SignedNote.Line line) {
        String encoded = note.withSignature(line).encoded();
        String last = encoded.substring(0, encoded.length() - 1);
        return last.substring(last.lastIndexOf('\n') + 1);
    }
}
