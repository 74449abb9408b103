package org.fhiranchor.anchor.chain;

/**
 * Where a write landed on chain.
 *
 * @param txHash hash of the transaction that recorded it, 0x-prefixed hex
 * @param blockNumber block that transaction was mined in
 * @param gasUsed gas the transaction consumed
 * @param alreadyAnchored true if this call found the same record already on chain (an earlier
 *     attempt landed) and sent nothing new; txHash/blockNumber/gasUsed then describe that earlier
 *     transaction
 */
public record AnchorReceipt(String txHash, long blockNumber, long gasUsed, boolean alreadyAnchored) {}
