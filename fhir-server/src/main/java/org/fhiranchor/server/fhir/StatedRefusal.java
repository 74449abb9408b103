package org.fhiranchor.server.fhir;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * A 403 whose message is written for the caller and says nothing about stored data (which rule of
 * a policy refused, what to do instead), so it is sent as is rather than replaced by the uniform
 * refusal text.
 */
public final class StatedRefusal extends ForbiddenOperationException {

    public StatedRefusal(String message) {
        super(message, outcome(message));
    }

    private static OperationOutcome outcome(String message) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.FORBIDDEN)
                .setDiagnostics(message);
        return outcome;
    }
}
