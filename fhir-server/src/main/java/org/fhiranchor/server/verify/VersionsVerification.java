package org.fhiranchor.server.verify;

import java.util.List;
import java.util.Optional;
import org.fhiranchor.anchor.proof.MultiProof;
import org.fhiranchor.server.anchoring.Checkpoint;

/**
 * The outcome of checking many versions at once: each version's status (in the order asked), and for
 * those anchored, one multi-leaf proof against one anchored checkpoint.
 */
public record VersionsVerification(
        List<VersionVerification> versions,
        Optional<MultiProof> proof,
        Optional<Checkpoint> checkpoint,
        Optional<Long> confirmations) {

    public VersionsVerification {
        versions = List.copyOf(versions);
    }
}
