package org.fhiranchor.server.consent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides whether one patient's data of one resource type may leave, from that patient's Consent
 * decisions: for a research requester (release) or for a clinical reader (privacy). Pure: no
 * storage, no cache. Rules (docs/consent.md):
 * <ul>
 *   <li>only consents in force (status active, not deleted) count; for research those whose scope
 *       is not treatment/adr, for clinical reads those whose scope is patient-privacy;</li>
 *   <li>within one consent, the deepest matching rules decide (a nested provision is an exception
 *       to its parent), and among those deny wins;</li>
 *   <li>across consents deny wins; without a permitting consent nothing is released.</li>
 * </ul>
 */
public final class ConsentEvaluator {

    static final String RESOURCE_TYPES = "http://hl7.org/fhir/resource-types";
    public static final String ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
    static final String CONSENT_ACTION = "http://terminology.hl7.org/CodeSystem/consentaction";
    static final String CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope";
    /** Actions that releasing data for research amounts to. */
    private static final Set<String> RELEASE_ACTIONS = Set.of("access", "use", "disclose");
    /** Scopes of consents that do not govern research release. */
    private static final Set<String> OTHER_SCOPES = Set.of(CONSENT_SCOPE + "|treatment", CONSENT_SCOPE + "|adr");
    /** The scope of the consents that govern clinical reads. */
    public static final String PRIVACY_SCOPE = CONSENT_SCOPE + "|patient-privacy";
    /** The purpose of use of an ordinary clinical read. */
    public static final String TREATMENT_PURPOSE = "TREAT";

    /**
     * Who asks, and what for: the evaluator's one input, for research and clinical reads alike.
     *
     * @param actors the caller and everything it acts as (its roles, organizations, care teams)
     * @param callerKnown false when the caller could not be identified: then a permit naming actors
     *     never matches and a deny naming actors always does (doubt never releases data)
     * @param purposeOfUse a v3-ActReason code
     * @param privacy whether patient-privacy consents (clinical reads) or research-relevant ones decide
     */
    public record Question(Set<String> actors, boolean callerKnown, String purposeOfUse, boolean privacy) {
        public Question {
            actors = Set.copyOf(actors);
        }

        public static Question research(ResearchRequester requester) {
            return new Question(Set.of(requester.requesterReference()), true, requester.purposeOfUse(), false);
        }

        public static Question clinical(Set<String> actors) {
            return new Question(actors, !actors.isEmpty(), TREATMENT_PURPOSE, true);
        }

        boolean governedBy(ConsentDecisionRecord consent) {
            return privacy
                    ? consent.scopes().contains(PRIVACY_SCOPE)
                    : consent.scopes().stream().noneMatch(OTHER_SCOPES::contains);
        }
    }

    public enum Outcome {
        PERMIT,
        DENY,
        NO_CONSENT;

        public String code() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    /** @param consents the Consents that decided (those with a matching rule) */
    public record Verdict(Outcome outcome, List<String> consents) {
        public boolean released() {
            return outcome == Outcome.PERMIT;
        }
    }

    private ConsentEvaluator() {}

    public static Verdict evaluate(
            List<ConsentDecisionRecord> patientConsents,
            ResearchRequester requester,
            String resourceType,
            Instant now) {
        return evaluate(patientConsents, Question.research(requester), resourceType, now);
    }

    public static Verdict evaluate(
            List<ConsentDecisionRecord> patientConsents, Question question, String resourceType, Instant now) {
        return evaluate(patientConsents, question, resourceType, null, now);
    }

    /**
     * @param resourceLabels the resource's security labels ({@code meta.security}) as {@code system|code}, or null
     *     when unknown (then a rule with security labels is uncertain: a permit does not apply, a deny does)
     */
    public static Verdict evaluate(
            List<ConsentDecisionRecord> patientConsents,
            Question question,
            String resourceType,
            Set<String> resourceLabels,
            Instant now) {
        List<String> permitting = new ArrayList<>();
        List<String> denying = new ArrayList<>();
        for (ConsentDecisionRecord consent : patientConsents) {
            if (!consent.inForce() || !question.governedBy(consent)) {
                continue;
            }
            ConsentRule.Effect effect = decide(consent, question, resourceType, resourceLabels, now);
            if (effect == ConsentRule.Effect.DENY) {
                denying.add(consent.consentReference());
            } else if (effect == ConsentRule.Effect.PERMIT) {
                permitting.add(consent.consentReference());
            }
        }
        if (!denying.isEmpty()) {
            return new Verdict(Outcome.DENY, denying);
        }
        if (!permitting.isEmpty()) {
            return new Verdict(Outcome.PERMIT, permitting);
        }
        return new Verdict(Outcome.NO_CONSENT, List.of());
    }

    /** The effect of one consent for this request, or null if none of its rules applies. */
    static ConsentRule.Effect decide(
            ConsentDecisionRecord consent, ResearchRequester requester, String resourceType, Instant now) {
        return decide(consent, Question.research(requester), resourceType, now);
    }

    static ConsentRule.Effect decide(
            ConsentDecisionRecord consent, Question question, String resourceType, Instant now) {
        return decide(consent, question, resourceType, null, now);
    }

    static ConsentRule.Effect decide(
            ConsentDecisionRecord consent,
            Question question,
            String resourceType,
            Set<String> resourceLabels,
            Instant now) {
        int deepest = -1;
        boolean deny = false;
        for (ConsentRule rule : consent.rules()) {
            if (!matches(rule, question, resourceType, resourceLabels, now)) {
                continue;
            }
            if (rule.depth() > deepest) {
                deepest = rule.depth();
                deny = false;
            }
            if (rule.depth() == deepest && rule.effect() == ConsentRule.Effect.DENY) {
                deny = true;
            }
        }
        if (deepest < 0) {
            return null;
        }
        return deny ? ConsentRule.Effect.DENY : ConsentRule.Effect.PERMIT;
    }

    /**
     * Whether a rule applies. Where the engine cannot tell (a data class of another code system,
     * a data period, code/securityLabel/data constraints), a permit does not apply and a deny
     * does: uncertainty never releases data.
     */
    static boolean matches(ConsentRule rule, ResearchRequester requester, String resourceType, Instant now) {
        return matches(rule, Question.research(requester), resourceType, now);
    }

    static boolean matches(ConsentRule rule, Question question, String resourceType, Instant now) {
        return matches(rule, question, resourceType, null, now);
    }

    static boolean matches(
            ConsentRule rule, Question question, String resourceType, Set<String> resourceLabels, Instant now) {
        boolean permit = rule.effect() == ConsentRule.Effect.PERMIT;
        if (!rule.period().contains(now)) {
            return false;
        }
        if (!rule.actors().isEmpty()
                && question.callerKnown()
                && rule.actors().stream().noneMatch(question.actors()::contains)) {
            return false;
        }
        if (!rule.actors().isEmpty() && !question.callerKnown() && permit) {
            return false;
        }
        String purpose = question.purposeOfUse();
        if (!rule.purposes().isEmpty()
                && rule.purposes().stream()
                        .noneMatch(p -> p.equals(ACT_REASON + "|" + purpose) || p.equals("|" + purpose))) {
            return false;
        }
        if (!rule.actions().isEmpty() && rule.actions().stream().noneMatch(a -> isReleaseAction(a))) {
            return false;
        }
        if (!rule.classes().isEmpty()) {
            boolean typeListed = rule.classes().contains(RESOURCE_TYPES + "|" + resourceType);
            boolean otherSystem = rule.classes().stream().anyMatch(c -> !c.startsWith(RESOURCE_TYPES + "|"));
            if (permit ? !typeListed : !(typeListed || otherSystem)) {
                return false;
            }
        }
        List<String> unevaluated = rule.unevaluated();
        if (!rule.securityLabels().isEmpty() && resourceLabels != null) {
            // The provision controls the resources carrying one of its labels (FHIR R4
            // Consent.provision.securityLabel).
            if (rule.securityLabels().stream().noneMatch(label -> labelled(resourceLabels, label))) {
                return false;
            }
            unevaluated =
                    unevaluated.stream().filter(u -> !u.equals("securityLabel")).toList();
        }
        boolean uncertain = !rule.dataPeriod().isOpen() || !unevaluated.isEmpty();
        return !(permit && uncertain);
    }

    /** A label {@code system|code} is on the resource; a label without a system matches its code in any system. */
    private static boolean labelled(Set<String> resourceLabels, String label) {
        if (resourceLabels.contains(label)) {
            return true;
        }
        if (label.startsWith("|")) {
            String code = label.substring(1);
            return resourceLabels.stream()
                    .anyMatch(l -> l.substring(l.indexOf('|') + 1).equals(code));
        }
        return false;
    }

    /** The security labels of a resource ({@code meta.security}) as {@code system|code}. */
    public static Set<String> labelsOf(org.hl7.fhir.instance.model.api.IBaseResource resource) {
        Set<String> labels = new java.util.TreeSet<>();
        for (org.hl7.fhir.instance.model.api.IBaseCoding coding :
                resource.getMeta().getSecurity()) {
            labels.add((coding.getSystem() == null ? "" : coding.getSystem()) + "|"
                    + (coding.getCode() == null ? "" : coding.getCode()));
        }
        return labels;
    }

    static boolean isReleaseAction(String action) {
        int bar = action.indexOf('|');
        String system = action.substring(0, bar);
        return (system.isEmpty() || system.equals(CONSENT_ACTION))
                && RELEASE_ACTIONS.contains(action.substring(bar + 1));
    }
}
