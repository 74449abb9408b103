package org.fhiranchor.server.consent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fhiranchor.anchor.canonical.CanonicalJson;
import org.fhiranchor.anchor.canonical.JsonBoolean;
import org.fhiranchor.anchor.canonical.JsonNumber;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonString;
import org.fhiranchor.anchor.canonical.JsonValue;
import org.fhiranchor.anchor.chain.ConsentStatus;

/**
 * The flat decision one Consent version makes (format {@value #FORMAT}, docs/consent.md). It stays
 * off chain; its canonical JSON, which includes the keyed {@code consentKey} so that nobody
 * without the server secret can confirm a guessed record, hashes to the on-chain decisionHash.
 *
 * @param consentId the Consent's logical id
 * @param version the version the decision was made from (a delete: the deletion's version)
 * @param patient {@code Patient/id}
 * @param status the Consent.status, {@code inactive} for a deletion
 * @param deleted whether this version is the Consent's deletion (revocation)
 * @param scopes Consent.scope codings as {@code system|code}
 * @param policies policyRule codings as {@code system|code} and policy URIs
 * @param permit the root provision's effect: what the consent says, whatever its status
 * @param period the root provision's period: when the consent applies
 * @param grantees actors of the permit rules, {@code *} when a permit rule names none
 * @param purposes purposes of the permit rules, {@code *} when a permit rule names none
 * @param rules every provision, flattened
 */
public record ConsentDecisionRecord(
        String consentId,
        long version,
        String patient,
        String status,
        boolean deleted,
        List<String> scopes,
        List<String> policies,
        boolean permit,
        TimeRange period,
        List<String> grantees,
        List<String> purposes,
        List<ConsentRule> rules) {

    public static final String FORMAT = "fhir-anchor-consent-decision/1";
    public static final String ANY = "*";

    public ConsentDecisionRecord {
        scopes = List.copyOf(scopes);
        policies = List.copyOf(policies);
        grantees = List.copyOf(grantees);
        purposes = List.copyOf(purposes);
        rules = List.copyOf(rules);
    }

    public String consentReference() {
        return "Consent/" + consentId;
    }

    /** Whether the consent is in force at all (its rules still decide for whom and when). */
    public boolean inForce() {
        return !deleted && "active".equals(status);
    }

    public ConsentStatus chainStatus() {
        return ConsentStatus.fromFhirCode(status);
    }

    public JsonObject toJson(byte[] consentKey) {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        members.put("format", new JsonString(FORMAT));
        members.put("consentKey", new JsonString(HexFormat.of().formatHex(consentKey)));
        members.put("consent", new JsonString(consentReference()));
        members.put("version", JsonNumber.of(version));
        members.put("patient", new JsonString(patient));
        members.put("status", new JsonString(status));
        members.put("deleted", deleted ? JsonBoolean.TRUE : JsonBoolean.FALSE);
        members.put("scopes", ConsentRule.strings(scopes));
        members.put("policies", ConsentRule.strings(policies));
        members.put("permit", permit ? JsonBoolean.TRUE : JsonBoolean.FALSE);
        members.put("period", period.toJson());
        members.put("grantees", ConsentRule.strings(grantees));
        members.put("purposes", ConsentRule.strings(purposes));
        members.put(
                "rules",
                new org.fhiranchor.anchor.canonical.JsonArray(
                        rules.stream().map(ConsentRule::toJson).toList()));
        return new JsonObject(members);
    }

    public String canonicalJson(byte[] consentKey) {
        return CanonicalJson.serializeToString(toJson(consentKey));
    }

    /** SHA-256 of the canonical JSON: the on-chain decisionHash. */
    public byte[] decisionHash(byte[] consentKey) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(canonicalJson(consentKey).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
