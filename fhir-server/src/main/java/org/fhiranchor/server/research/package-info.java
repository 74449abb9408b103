/**
 * Research exports (docs/research-export.md): the asynchronous {@code $research-export} kick-off, status and file
 * operations, the export job (consent, de-identification, encryption to the researcher, IPFS, manifest, Provenance,
 * proofs) and its table. De-identification itself is in {@code research.deid}; the formats the researcher verifies
 * are in anchor-module's {@code org.fhiranchor.anchor.export}.
 */
package org.fhiranchor.server.research;
