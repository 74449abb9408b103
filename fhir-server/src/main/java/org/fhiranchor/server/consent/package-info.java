/**
 * Consent decisions: every Consent version is flattened into one documented decision record
 * ({@link org.fhiranchor.server.consent.ConsentDecisionRecord}, see docs/consent.md), validated
 * before it is stored, queued in an outbox in the Consent's own transaction and recorded on the
 * contract with keyed hashes only ({@link org.fhiranchor.server.consent.ConsentDecisionJob}).
 * {@link org.fhiranchor.server.consent.ResearchConsentService} enforces the decisions on data
 * that leaves the server for research, on top of HAPI's ConsentInterceptor, and records every
 * decision it takes as an AuditEvent. {@link org.fhiranchor.server.consent.PrivacyConsentService}
 * lets patient-privacy consents decide clinical reads (opt-out or opt-in, break-glass), with the
 * same {@link org.fhiranchor.server.consent.ConsentEvaluator}; the reader
 * ({@link org.fhiranchor.server.consent.ClinicalReader}) comes from the token's {@code fhirUser}.
 *
 * <p>The requester's identity and purpose of use are read from
 * {@code RequestDetails.getUserData()} under {@link org.fhiranchor.server.consent.ResearchRequester#USER_DATA_KEY};
 * the security layer puts them there from the token, never from request headers.
 */
package org.fhiranchor.server.consent;
