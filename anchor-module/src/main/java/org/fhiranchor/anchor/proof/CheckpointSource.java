package org.fhiranchor.anchor.proof;

import java.util.Optional;

/**
 * The verifier's view of the chain: the root the contract holds for a tree size. The chain client
 * implements it against a contract address the auditor chose, never one taken from the proof.
 */
@FunctionalInterface
public interface CheckpointSource {

    /** The anchored 32-byte root for exactly this tree size, or empty if no checkpoint has that size. */
    Optional<byte[]> anchoredRoot(long treeSize);
}
