/**
 * The append-only Merkle log of resource versions. A storage hook records every create, update and
 * delete in an outbox table inside the version's own database transaction; a sequencer (one at a
 * time across replicas, by a database row lock) gives entries consecutive leaf indexes and stores
 * the hashes of complete subtrees, so proofs need O(log n) reads.
 */
package org.fhiranchor.server.log;
