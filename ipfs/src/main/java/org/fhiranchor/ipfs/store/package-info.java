/**
 * The embedded "IPFS" of the server: a crash-safe file-system blockstore, a pin set, and a facade that adds,
 * reads, pins, exports and imports content with the same CIDs Kubo computes.
 */
package org.fhiranchor.ipfs.store;
