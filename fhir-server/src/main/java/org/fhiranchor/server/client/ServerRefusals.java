package org.fhiranchor.server.client;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * A server's refusal in one line for the user: the HTTP status and every issue of the OperationOutcome it sent
 * (severity, code, diagnostics), or HAPI's own message when it sent none (no answer at all, or a body that is not
 * FHIR).
 */
public final class ServerRefusals {

    private ServerRefusals() {}

    public static String describe(BaseServerResponseException e) {
        IBaseOperationOutcome outcome = e.getOperationOutcome();
        if (!(outcome instanceof OperationOutcome operationOutcome)
                || operationOutcome.getIssue().isEmpty()) {
            return e.getMessage(); // HAPI's message already starts with "HTTP <status>" when there was an answer
        }
        List<String> issues = new ArrayList<>();
        for (OperationOutcome.OperationOutcomeIssueComponent issue : operationOutcome.getIssue()) {
            String severity =
                    issue.getSeverity() == null ? "error" : issue.getSeverity().toCode();
            String code = issue.getCode() == null ? "" : " " + issue.getCode().toCode();
            issues.add(severity + code + ": " + issue.getDiagnostics());
        }
        return "HTTP " + e.getStatusCode() + ", " + String.join("; ", issues);
    }
}
