package org.fhiranchor.server.verify;

import org.fhiranchor.server.log.LogEntry;
import org.hl7.fhir.r4.model.Parameters;

/**
 * Lets a feature add its own parts to {@code $verify}'s Parameters for the versions it knows
 * about (e.g. the consent package's {@code consentDecision} for Consent versions).
 */
@FunctionalInterface
public interface VerifyPartContributor {
    void contribute(LogEntry entry, Parameters parameters);
}
