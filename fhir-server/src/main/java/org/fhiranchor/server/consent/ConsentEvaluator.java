package org.fhiranchor.server.consent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides whether one patient's data of one resource type may leave for a research requester,
 * from that patient's Consent decisions. Pure: no storage, no cache, so a revocation counts from
 * the very next request. Rules (docs/consent.md):
 * <ul>
 *   <li>only consents in force (status active, not deleted) whose scope is not treatment/adr count;</li>
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

    public static Verdict evaluate(List<ConsentDecisionRecord> patientConsents, ResearchRequester requester,
            String resourceType, Instant now) {
        List<String> permitting = new ArrayList<>();
        List<String> denying = new ArrayList<>();
        for (ConsentDecisionRecord consent : patientConsents) {
            if (!consent.inForce() || consent.scopes().stream().anyMatch(OTHER_SCOPES::contains)) {
                continue;
            }
            ConsentRule.Effect effect = decide(consent, requester, resourceType, now);
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
    static ConsentRule.Effect decide(ConsentDecisionRecord consent, ResearchRequester requester, String resourceType,
            Instant now) {
        int deepest = -1;
        boolean deny = false;
        for (ConsentRule rule : consent.rules()) {
            if (!matches(rule, requester, resourceType, now)) {
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
        boolean permit = rule.effect() == ConsentRule.Effect.PERMIT;
        if (!rule.period().contains(now)) {
            return false;
        }
        if (!rule.actors().isEmpty() && !rule.actors().contains(requester.requesterReference())) {
            return false;
        }
        if (!rule.purposes().isEmpty() && rule.purposes().stream().noneMatch(p ->
                p.equals(ACT_REASON + "|" + requester.purposeOfUse()) || p.equals("|" + requester.purposeOfUse()))) {
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
        boolean uncertain = !rule.dataPeriod().isOpen() || !rule.unevaluated().isEmpty();
        return !(permit && uncertain);
    }

    static boolean isReleaseAction(String action) {
        int bar = action.indexOf('|');
        String system = action.substring(0, bar);
        return (system.isEmpty() || system.equals(CONSENT_ACTION)) && RELEASE_ACTIONS.contains(action.substring(bar + 1));
    }
}
