package org.fhiranchor.server.tlog;

import java.util.Optional;
import org.fhiranchor.anchor.tlog.NoteSigner;
import org.fhiranchor.anchor.tlog.SignedNote;
import org.fhiranchor.anchor.tlog.TlogCheckpoint;
import org.fhiranchor.server.anchoring.Checkpoint;
import org.fhiranchor.server.anchoring.CheckpointRepository;

/**
 * The signed checkpoint: the latest checkpoint that is anchored on chain, so that the size and root a C2SP
 * client sees are exactly a pair the contract holds (never a tree head the chain has not taken yet). Ed25519
 * is deterministic, so one tree size always gives the same note; the last one is kept.
 */
public final class CheckpointNotes {

    private final CheckpointRepository checkpoints;
    private final NoteSigner signer;
    private volatile Signed last;

    private record Signed(long treeSize, SignedNote note) {}

    public CheckpointNotes(CheckpointRepository checkpoints, NoteSigner signer) {
        this.checkpoints = checkpoints;
        this.signer = signer;
    }

    public String origin() {
        return signer.name();
    }

    /** The public key to give verifiers: {@code <origin>+<key id>+<base64 key>}. */
    public String verifierKey() {
        return signer.verifierKey();
    }

    /** The signed note of the latest anchored checkpoint; empty until the first checkpoint is anchored. */
    public Optional<SignedNote> latest() {
        return checkpoints.latestAnchored().map(this::note);
    }

    /** The signed note of the anchored checkpoint of exactly this size. */
    public Optional<SignedNote> ofSize(long treeSize) {
        return checkpoints.bySize(treeSize).filter(Checkpoint::anchored).map(this::note);
    }

    private SignedNote note(Checkpoint checkpoint) {
        Signed cached = last;
        if (cached != null && cached.treeSize() == checkpoint.treeSize()) {
            return cached.note();
        }
        String text = new TlogCheckpoint(signer.name(), checkpoint.treeSize(), checkpoint.rootHash()).text();
        try {
            SignedNote note = SignedNote.parse(signer.sign(text));
            last = new Signed(checkpoint.treeSize(), note);
            return note;
        } catch (org.fhiranchor.anchor.tlog.NoteFormatException e) {
            throw new IllegalStateException("a note we signed does not parse", e);
        }
    }
}
