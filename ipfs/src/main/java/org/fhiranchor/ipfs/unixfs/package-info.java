/**
 * dag-pb and UnixFS encoding, and an importer/reader pair that reproduces Kubo's
 * {@code ipfs add --cid-version=1 --raw-leaves --chunker=size-262144} (balanced layout, 174 links per node)
 * byte for byte. See docs/archive.md for why every parameter is pinned.
 */
package org.fhiranchor.ipfs.unixfs;
