package org.fhiranchor.anchor.tlog;

import java.util.ArrayList;
import java.util.List;

/**
 * Which witnesses a log asks, and how many must cosign before a checkpoint is published. {@link #cosign}
 * asks every witness and returns the checkpoint with the valid cosignatures appended, or fails if fewer
 * than the quorum cosigned; the reasons of the witnesses that did not are kept.
 */
public final class WitnessPolicy {

    /** The outcome: the checkpoint with cosignatures, how many, and why the others did not cosign. */
    public record Outcome(SignedNote checkpoint, int cosignatures, List<String> failures, boolean quorumMet) {}

    private final List<WitnessClient> witnesses;
    private final int quorum;

    public WitnessPolicy(List<WitnessClient> witnesses, int quorum) {
        if (quorum < 0 || quorum > witnesses.size()) {
            throw new IllegalArgumentException(
                    "quorum must be between 0 and the number of witnesses (" + witnesses.size() + ")");
        }
        this.witnesses = List.copyOf(witnesses);
        this.quorum = quorum;
    }

    public int quorum() {
        return quorum;
    }

    public Outcome cosign(SignedNote checkpoint, WitnessClient.ConsistencyProofs proofs) {
        SignedNote cosigned = checkpoint;
        List<String> failures = new ArrayList<>();
        int count = 0;
        for (WitnessClient witness : witnesses) {
            try {
                cosigned = cosigned.withSignature(witness.cosign(checkpoint, proofs));
                count++;
            } catch (WitnessClient.WitnessException e) {
                failures.add(e.getMessage());
            }
        }
        return new Outcome(cosigned, count, failures, count >= quorum);
    }

    /** Whether {@code checkpoint} carries valid cosignatures of at least a quorum of the witnesses. */
    public boolean satisfiedBy(SignedNote checkpoint) {
        List<NoteVerifier> keys = witnesses.stream().map(WitnessClient::key).toList();
        try {
            return checkpoint.verifiedBy(keys).size() >= quorum;
        } catch (SignedNote.InvalidSignatureException e) {
            return false;
        }
    }
}
