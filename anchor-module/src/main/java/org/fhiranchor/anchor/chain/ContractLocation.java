package org.fhiranchor.anchor.chain;

/**
 * Where the anchoring contract is: the chain id the node reports (EIP-155) and the contract's address, 0x-prefixed,
 * lower case.
 */
public record ContractLocation(long chainId, String address) {}
