package org.fhiranchor.anchor.log;

import java.util.Objects;

/** The outcome of checking a proof: ok, or a reason a person can act on. */
public record CheckResult(boolean passed, String reason) {

    private static final CheckResult OK = new CheckResult(true, "ok");

    public CheckResult {
        Objects.requireNonNull(reason, "reason");
    }

    public static CheckResult pass() {
        return OK;
    }

    public static CheckResult fail(String reason) {
        return new CheckResult(false, reason);
    }
}
