package org.fhiranchor.anchor.verifier;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.fhiranchor.anchor.canonical.ContentHash;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.chain.LedgerReader;
import org.fhiranchor.anchor.chain.OnChainConsentDecision;
import org.fhiranchor.anchor.proof.HashHex;

/**
 * Checks a consent decision record ({@code fhir-anchor-consent-decision/1}, docs/consent.md, e.g. the
 * {@code decision} part of a Consent's {@code $verify}) against the chain, without the server's HMAC
 * secret: the record carries its own {@code consentKey}; its SHA-256 over canonical JSON must be the
 * {@code decisionHash} the contract holds for that key and version. Recomputing the record from a
 * Consent (and so checking that the Consent says what the record says) needs the secret; see
 * docs/consent.md section 3.
 */
public final class ConsentDecisionCheck {

    public static final String FORMAT = "fhir-anchor-consent-decision/1";

    public enum Outcome {
        /** The contract's latest decision for this consent is this version, with this hash. */
        MATCHES,
        /** The contract holds this version with another hash: the record is not what was recorded. */
        HASH_MISMATCH,
        /** A later version is the latest; this one's hash is in its ConsentDecisionRecorded event. */
        SUPERSEDED,
        /** Nothing (or only an earlier version) is recorded for this consent yet. */
        NOT_ON_CHAIN
    }

    /**
     * @param decisionHash the record's hash, hex
     * @param latestOnChainVersion the latest version the contract holds, 0 if none
     */
    public record Result(Outcome outcome, long version, String decisionHash, long latestOnChainVersion) {}

    private ConsentDecisionCheck() {}

    public static Result check(byte[] decisionRecordJson, LedgerReader chain) {
        JsonObject record = JsonParser.parseObject(decisionRecordJson);
        if (!FORMAT.equals(record.getString("format"))) {
            throw new IllegalArgumentException("not a " + FORMAT + " record");
        }
        byte[] consentKey = HashHex.parse(record.getString("consentKey"));
        long version = record.getNumber("version").asNonNegativeLong();
        byte[] hash = ContentHash.of(record);
        Optional<OnChainConsentDecision> latest = chain.latestConsentDecision(consentKey);
        long latestVersion = latest.map(OnChainConsentDecision::consentVersion).orElse(0L);
        Outcome outcome;
        if (latest.isEmpty() || latestVersion < version) {
            outcome = Outcome.NOT_ON_CHAIN;
        } else if (latestVersion > version) {
            outcome = Outcome.SUPERSEDED;
        } else {
            outcome = Arrays.equals(hash, latest.get().decisionHash()) ? Outcome.MATCHES : Outcome.HASH_MISMATCH;
        }
        return new Result(outcome, version, HexFormat.of().formatHex(hash), latestVersion);
    }
}
