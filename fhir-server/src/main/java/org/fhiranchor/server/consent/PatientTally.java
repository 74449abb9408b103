package org.fhiranchor.server.consent;

/** What was decided for one patient in one research request or export: the verdict and what it let through. */
public final class PatientTally {

    private final ConsentEvaluator.Verdict verdict;
    private int released;
    private int withheld;

    public PatientTally(ConsentEvaluator.Verdict verdict) {
        this.verdict = verdict;
    }

    public ConsentEvaluator.Verdict verdict() {
        return verdict;
    }

    public int released() {
        return released;
    }

    public int withheld() {
        return withheld;
    }

    public void countReleased() {
        released++;
    }

    public void countWithheld() {
        withheld++;
    }
}
