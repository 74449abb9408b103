/**
 * The log in the C2SP transparency-log formats (docs/verification.md section 7): the signed checkpoint at
 * {@code GET /log/checkpoint} and the tiles and entry bundles at {@code GET /log/tile/...}, generated from the
 * log's tables; the note signing key under the data directory.
 */
package org.fhiranchor.server.tlog;
