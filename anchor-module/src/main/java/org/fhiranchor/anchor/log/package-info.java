/**
 * The append-only log: leaf entries binding a resource version to its content hash and salt, and the
 * RFC 9162 Merkle tree (tree head, inclusion and consistency proofs and their verification) computed
 * over a store of complete-subtree hashes with O(log n) reads.
 */
package org.fhiranchor.anchor.log;
