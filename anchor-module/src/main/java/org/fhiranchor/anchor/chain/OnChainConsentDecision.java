package org.fhiranchor.anchor.chain;

import java.util.Arrays;

/**
 * The latest decision the contract holds for one consent.
 *
 * @param consentVersion version of the Consent the decision was made from
 * @param decisionHash hash of the full decision record, 32 bytes
 * @param permit true for a permit
 * @param status the Consent's status
 * @param periodStart start of the period, Unix seconds, 0 if open
 * @param periodEnd end of the period, Unix seconds, 0 if open
 * @param blockNumber block the decision was recorded in
 */
public record OnChainConsentDecision(
        long consentVersion,
        byte[] decisionHash,
        boolean permit,
        ConsentStatus status,
        long periodStart,
        long periodEnd,
        long blockNumber) {

    public OnChainConsentDecision {
        decisionHash = Bytes32.copyOf(decisionHash, "decisionHash");
    }

    @Override
    public byte[] decisionHash() {
        return decisionHash.clone();
    }

    /** Whether this is the record of exactly this decision (same version and hash). */
    public boolean matches(ConsentDecision decision) {
        return consentVersion == decision.consentVersion() && Arrays.equals(decisionHash, decision.decisionHash());
    }
}
