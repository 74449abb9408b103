package org.fhiranchor.server.consent;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

/**
 * Turns one Consent version into its {@link ConsentDecisionRecord}, refusing what cannot be
 * stated unambiguously (no patient, a policy not in the accepted set, a period ending before it
 * starts, no way to tell permit from deny). The rules are in docs/consent.md.
 */
public final class ConsentFlattener {

    static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    private static final Set<String> OPT_IN =
            Set.of(ACT_CODE + "|OPTIN", ACT_CODE + "|OPTINR", "http://hl7.org/fhir/ConsentPolicy/opt-in");
    private static final Set<String> OPT_OUT =
            Set.of(ACT_CODE + "|OPTOUT", ACT_CODE + "|OPTOUTE", "http://hl7.org/fhir/ConsentPolicy/opt-out");

    /**
     * Who a privacy consent can name (R4's targets of {@code provision.actor.reference}). Callers are
     * matched as Practitioner, PractitionerRole, Organization, CareTeam or RelatedPerson; a Patient,
     * Device or Group actor is accepted but never reads as a clinician.
     */
    static final List<String> PRIVACY_ACTOR_TYPES_TEXT_ORDER = List.of(
            "Practitioner",
            "PractitionerRole",
            "Organization",
            "CareTeam",
            "RelatedPerson",
            "Patient",
            "Device",
            "Group");

    private static final Set<String> PRIVACY_ACTOR_TYPES = Set.copyOf(PRIVACY_ACTOR_TYPES_TEXT_ORDER);
    private static final String PRIVACY_ACTOR_TYPES_TEXT = String.join(", ", PRIVACY_ACTOR_TYPES_TEXT_ORDER);

    private final Set<String> acceptedPolicies;

    /** @param acceptedPolicies policyRule codings as {@code system|code} and policy URIs */
    public ConsentFlattener(Set<String> acceptedPolicies) {
        this.acceptedPolicies = Set.copyOf(acceptedPolicies);
    }

    /** Checks a Consent about to be stored; throws {@link InvalidConsentException} with the reason. */
    public void validate(Consent consent) {
        flatten(consent, 1, false);
    }

    public ConsentDecisionRecord flatten(Consent consent, long version, boolean deleted) {
        String patient = patientOf(consent);
        if (!consent.hasStatus() || consent.getStatus() == Consent.ConsentState.NULL) {
            throw new InvalidConsentException("Consent.status is required");
        }
        List<String> policies = policiesOf(consent);
        ProvisionComponent root = consent.getProvision();
        ConsentRule.Effect rootEffect;
        if (root.hasType()) {
            rootEffect = effectOf(root);
        } else if (policies.stream().anyMatch(OPT_IN::contains)) {
            rootEffect = ConsentRule.Effect.PERMIT;
        } else if (policies.stream().anyMatch(OPT_OUT::contains)) {
            rootEffect = ConsentRule.Effect.DENY;
        } else {
            throw new InvalidConsentException(
                    "Consent.provision.type is required unless the policy is opt-in or opt-out");
        }
        List<ConsentRule> rules = new ArrayList<>();
        flattenProvision(root, 0, rootEffect, null, rules, "Consent.provision");
        ConsentRule rootRule = rules.get(0);
        List<String> scopes = codings(consent.getScope());
        if (scopes.contains(ConsentEvaluator.PRIVACY_SCOPE)) {
            checkPrivacyActors(rules);
        }

        return new ConsentDecisionRecord(
                consent.getIdElement().getIdPart(),
                version,
                patient,
                deleted ? "inactive" : consent.getStatus().toCode(),
                deleted,
                scopes,
                policies,
                rootEffect == ConsentRule.Effect.PERMIT,
                rootRule.period(),
                anyOrUnion(rules, ConsentRule::actors),
                anyOrUnion(rules, ConsentRule::purposes),
                rules);
    }

    private static String patientOf(Consent consent) {
        Reference patient = consent.getPatient();
        if (patient == null || !patient.hasReference()) {
            throw new InvalidConsentException("Consent.patient is required and must reference a Patient");
        }
        if (isTransactionPlaceholder(patient.getReference())) {
            // Inside a transaction, PRESTORAGE still sees urn:uuid: references; they are
            // rewritten to Patient/<id> before the decision is computed at PRECOMMIT.
            return patient.getReference();
        }
        IdType id = new IdType(patient.getReference());
        if (!"Patient".equals(id.getResourceType()) || !id.hasIdPart()) {
            throw new InvalidConsentException("Consent.patient must reference a Patient (Patient/<id>)");
        }
        return "Patient/" + id.getIdPart();
    }

    private List<String> policiesOf(Consent consent) {
        List<String> policies = new ArrayList<>();
        for (Coding coding : consent.getPolicyRule().getCoding()) {
            policies.add(coded(coding));
        }
        for (Consent.ConsentPolicyComponent policy : consent.getPolicy()) {
            if (policy.hasUri()) {
                policies.add(policy.getUri());
            } else {
                throw new InvalidConsentException("Consent.policy.uri is required for every policy");
            }
        }
        if (policies.isEmpty()) {
            throw new InvalidConsentException("Consent.policyRule or Consent.policy is required");
        }
        for (String policy : policies) {
            if (!acceptedPolicies.contains(policy)) {
                throw new InvalidConsentException(
                        "Unknown consent policy " + policy + " (accepted: see fhir-anchor.consent.accepted-policies)");
            }
        }
        return policies;
    }

    /**
     * Emits {@code node} and its nested provisions. A nested provision without a type is an
     * exception to its parent, so it takes the opposite effect; where it states no actors,
     * purposes, actions or classes it inherits its parent's; its periods are cut to its parent's.
     */
    private void flattenProvision(
            ProvisionComponent node,
            int depth,
            ConsentRule.Effect effect,
            ConsentRule parent,
            List<ConsentRule> out,
            String path) {
        TimeRange period = range(node.hasPeriod() ? node.getPeriod() : null, path + ".period");
        TimeRange dataPeriod = range(node.hasDataPeriod() ? node.getDataPeriod() : null, path + ".dataPeriod");
        List<String> actors = new ArrayList<>();
        for (Consent.provisionActorComponent actor : node.getActor()) {
            actors.add(actorOf(actor.getReference(), path));
        }
        List<String> purposes =
                node.getPurpose().stream().map(ConsentFlattener::coded).toList();
        List<String> actions =
                node.getAction().stream().flatMap(a -> codings(a).stream()).toList();
        List<String> classes =
                node.getClass_().stream().map(ConsentFlattener::coded).toList();
        List<String> labels =
                node.getSecurityLabel().stream().map(ConsentFlattener::coded).toList();
        List<String> unevaluated = new ArrayList<>();
        if (node.hasCode()) {
            unevaluated.add("code");
        }
        if (node.hasSecurityLabel()) {
            unevaluated.add("securityLabel");
        }
        if (node.hasData()) {
            unevaluated.add("data");
        }
        ConsentRule rule = parent == null
                ? new ConsentRule(
                        depth,
                        effect,
                        sorted(actors),
                        sorted(purposes),
                        sorted(actions),
                        sorted(classes),
                        period,
                        dataPeriod,
                        sorted(unevaluated),
                        sorted(labels))
                : new ConsentRule(
                        depth,
                        effect,
                        actors.isEmpty() ? parent.actors() : sorted(actors),
                        purposes.isEmpty() ? parent.purposes() : sorted(purposes),
                        actions.isEmpty() ? parent.actions() : sorted(actions),
                        classes.isEmpty() ? parent.classes() : sorted(classes),
                        period.intersect(parent.period()),
                        dataPeriod.intersect(parent.dataPeriod()),
                        union(parent.unevaluated(), unevaluated),
                        labels.isEmpty() ? parent.securityLabels() : sorted(labels));
        if (rule.period().start() != null
                && rule.period().end() != null
                && !rule.period().start().isBefore(rule.period().end())) {
            throw new InvalidConsentException(path + ".period lies outside its parent provision's period");
        }
        out.add(rule);
        for (int i = 0; i < node.getProvision().size(); i++) {
            ProvisionComponent child = node.getProvision().get(i);
            ConsentRule.Effect childEffect = child.hasType() ? effectOf(child) : effect.opposite();
            flattenProvision(child, depth + 1, childEffect, rule, out, path + ".provision[" + i + "]");
        }
    }

    /** A privacy consent decides who reads the record, so each actor must be a party, by reference. */
    private static void checkPrivacyActors(List<ConsentRule> rules) {
        for (ConsentRule rule : rules) {
            for (String actor : rule.actors()) {
                if (isTransactionPlaceholder(actor)) {
                    continue;
                }
                int slash = actor.indexOf('/');
                String type = actor.startsWith("identifier:") || slash < 0 ? null : actor.substring(0, slash);
                if (type == null || !PRIVACY_ACTOR_TYPES.contains(type)) {
                    throw new InvalidConsentException(
                            "Consent.provision.actor.reference of a patient-privacy consent must"
                                    + " reference one of " + PRIVACY_ACTOR_TYPES_TEXT + " (got "
                                    + (type == null ? "an identifier or no type" : type) + ")");
                }
            }
        }
    }

    private static boolean isTransactionPlaceholder(String reference) {
        return reference.startsWith("urn:uuid:") || reference.startsWith("urn:oid:");
    }

    private static ConsentRule.Effect effectOf(ProvisionComponent provision) {
        return switch (provision.getType()) {
            case PERMIT -> ConsentRule.Effect.PERMIT;
            case DENY -> ConsentRule.Effect.DENY;
            default -> throw new InvalidConsentException("Consent.provision.type must be permit or deny");
        };
    }

    private static String actorOf(Reference reference, String path) {
        if (reference.hasReference() && isTransactionPlaceholder(reference.getReference())) {
            return reference.getReference();
        }
        if (reference.hasReference()) {
            IdType id = new IdType(reference.getReference());
            if (!id.hasResourceType() || !id.hasIdPart()) {
                throw new InvalidConsentException(path + ".actor.reference must be Type/id");
            }
            return id.getResourceType() + "/" + id.getIdPart();
        }
        if (reference.hasIdentifier()) {
            return "identifier:" + nullToEmpty(reference.getIdentifier().getSystem()) + "|"
                    + nullToEmpty(reference.getIdentifier().getValue());
        }
        throw new InvalidConsentException(path + ".actor.reference needs a reference or an identifier");
    }

    static TimeRange range(Period period, String path) {
        if (period == null) {
            return TimeRange.OPEN;
        }
        Instant start = period.hasStart() ? period.getStartElement().getValue().toInstant() : null;
        Instant end = period.hasEnd() ? endExclusive(period.getEndElement()) : null;
        if (start != null && end != null && period.getEnd().before(period.getStart())) {
            throw new InvalidConsentException(path + ": end is before start");
        }
        return new TimeRange(start, end);
    }

    /** The first instant after a FHIR end: {@code 2016-01-01} ends at 2016-01-02T00:00:00Z. */
    private static Instant endExclusive(DateTimeType end) {
        ZonedDateTime value = end.getValue().toInstant().atZone(ZoneOffset.UTC);
        TemporalPrecisionEnum precision = end.getPrecision();
        ZonedDateTime next = switch (precision) {
            case YEAR -> value.plusYears(1);
            case MONTH -> value.plusMonths(1);
            case DAY -> value.plusDays(1);
            case MINUTE -> value.plusMinutes(1);
            case SECOND -> value.plusSeconds(1);
            case MILLI -> value.plusNanos(1_000_000);
        };
        return next.toInstant();
    }

    private static List<String> anyOrUnion(
            List<ConsentRule> rules, java.util.function.Function<ConsentRule, List<String>> field) {
        Set<String> union = new TreeSet<>();
        for (ConsentRule rule : rules) {
            if (rule.effect() != ConsentRule.Effect.PERMIT) {
                continue;
            }
            if (field.apply(rule).isEmpty()) {
                return List.of(ConsentDecisionRecord.ANY);
            }
            union.addAll(field.apply(rule));
        }
        return List.copyOf(union);
    }

    static List<String> codings(CodeableConcept concept) {
        return concept.getCoding().stream()
                .map(ConsentFlattener::coded)
                .sorted()
                .toList();
    }

    private static String coded(Coding coding) {
        return nullToEmpty(coding.getSystem()) + "|" + nullToEmpty(coding.getCode());
    }

    private static List<String> sorted(List<String> values) {
        return List.copyOf(new TreeSet<>(values));
    }

    private static List<String> union(List<String> a, List<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
