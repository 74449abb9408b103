package org.fhiranchor.anchor.chain;

/**
 * A freshly deployed FhirAnchor contract.
 *
 * @param contractAddress its address, 0x-prefixed, lower case
 * @param receipt the deployment transaction
 */
public record Deployment(String contractAddress, AnchorReceipt receipt) {}
