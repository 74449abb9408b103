package org.fhiranchor.server.verify;

import java.util.Optional;
import org.fhiranchor.anchor.proof.AnchorProof;
import org.fhiranchor.server.anchoring.Checkpoint;
import org.fhiranchor.server.log.LogEntry;

/** The outcome of checking one version against the log and the chain. */
public record VersionVerification(
        VersionStatus status,
        LogEntry entry,
        byte[] currentContentHash,
        Optional<AnchorProof> proof,
        Optional<Checkpoint> checkpoint,
        Optional<Long> confirmations) {}
