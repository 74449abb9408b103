package org.fhiranchor.server.consent;

import org.fhiranchor.anchor.chain.ConsentDecision;

/** A {@code ConsentDecisionRecorded} event as read back from the chain, with where it sits. */
public record RecordedConsentDecision(ConsentDecision decision, String transactionHash, long blockNumber) {}
