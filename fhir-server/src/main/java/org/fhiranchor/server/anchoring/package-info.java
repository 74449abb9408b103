/**
 * Anchoring the log on Ethereum: the chain connection (an embedded Anvil dev node by default, any
 * JSON-RPC chain otherwise), the checkpoint job that writes (tree size, root) to the contract, the
 * per-version mode, and their health and metrics.
 */
package org.fhiranchor.server.anchoring;
