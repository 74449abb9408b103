/**
 * The C2SP transparency-log formats spoken beside the project's own: signed notes with Ed25519 keys
 * ({@code c2sp.org/signed-note}), checkpoints ({@code c2sp.org/tlog-checkpoint}), tiles and entry bundles
 * ({@code c2sp.org/tlog-tiles}) and offline proofs ({@code c2sp.org/tlog-proof}). JDK only; the tree math
 * is {@link org.fhiranchor.anchor.log}'s.
 */
package org.fhiranchor.anchor.tlog;
