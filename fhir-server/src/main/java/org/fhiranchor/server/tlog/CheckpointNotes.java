package org.fhiranchor.server.tlog;

import java.util.Optional;
import org.fhiranchor.anchor.tlog.NoteFormatException;
import org.fhiranchor.anchor.tlog.NoteSigner;
import org.fhiranchor.anchor.tlog.SignedNote;
import org.fhiranchor.anchor.tlog.TlogCheckpoint;
import org.fhiranchor.server.anchoring.Checkpoint;
import org.fhiranchor.server.anchoring.CheckpointRepository;

/**
 * The signed checkpoint: the latest checkpoint that is anchored on chain, so that the size and root a C2SP
 * client sees are exactly a pair the contract holds (never a tree head the chain has not taken yet), with the
 * witness cosignatures stored for it. When a witness quorum is configured, only checkpoints with at least that
 * many cosignatures are served. Ed25519 is deterministic, so one tree size always gives the same log signature;
 * the last one is kept.
 */
public final class CheckpointNotes {

    private final CheckpointRepository checkpoints;
    private final NoteSigner signer;
    private final CosignatureRepository cosignatures;
    private final int quorum;
    private volatile Signed last;

    private record Signed(long treeSize, SignedNote note) {}

    public CheckpointNotes(
            CheckpointRepository checkpoints, NoteSigner signer, CosignatureRepository cosignatures, int quorum) {
        this.checkpoints = checkpoints;
        this.signer = signer;
        this.cosignatures = cosignatures;
        this.quorum = quorum;
    }

    public String origin() {
        return signer.name();
    }

    /** The public key to give verifiers: {@code <origin>+<key id>+<base64 key>}. */
    public String verifierKey() {
        return signer.verifierKey();
    }

    public int quorum() {
        return quorum;
    }

    /**
     * The signed note of the latest anchored checkpoint (with a quorum of cosignatures, when one is required);
     * empty until there is one.
     */
    public Optional<SignedNote> latest() {
        Optional<Checkpoint> checkpoint = quorum == 0
                ? checkpoints.latestAnchored()
                : cosignatures
                        .largestSizeWith(quorum)
                        .flatMap(checkpoints::bySize)
                        .filter(Checkpoint::anchored);
        return checkpoint.map(this::cosigned);
    }

    /** The signed note of the anchored checkpoint of exactly this size, if it may be published. */
    public Optional<SignedNote> ofSize(long treeSize) {
        return checkpoints
                .bySize(treeSize)
                .filter(Checkpoint::anchored)
                .map(this::cosigned)
                .filter(note -> quorum == 0 || note.signatures().size() - 1 >= quorum);
    }

    /** The log's own signature only: what witnesses are asked to cosign. */
    SignedNote signed(Checkpoint checkpoint) {
        Signed cached = last;
        if (cached != null && cached.treeSize() == checkpoint.treeSize()) {
            return cached.note();
        }
        String text = new TlogCheckpoint(signer.name(), checkpoint.treeSize(), checkpoint.rootHash()).text();
        SignedNote note = parse(signer.sign(text));
        last = new Signed(checkpoint.treeSize(), note);
        return note;
    }

    private SignedNote cosigned(Checkpoint checkpoint) {
        SignedNote note = signed(checkpoint);
        var lines = cosignatures.lines(checkpoint.treeSize());
        if (lines.isEmpty()) {
            return note;
        }
        return parse(note.encoded() + String.join("\n", lines) + "\n");
    }

    private static SignedNote parse(String note) {
        try {
            return SignedNote.parse(note);
        } catch (NoteFormatException e) {
            throw new IllegalStateException("a note we assembled does not parse", e);
        }
    }
}
