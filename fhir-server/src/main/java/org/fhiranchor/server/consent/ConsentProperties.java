package org.fhiranchor.server.consent;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Consent decisions and their enforcement ({@code fhir-anchor.consent.*}).
 *
 * @param hmacKey the HMAC secret as hex (at least 32 bytes); for production, set it through the
 *     environment variable {@code FHIR_ANCHOR_CONSENT_HMAC_KEY}. Never logged.
 * @param hmacKeyFile a file holding the secret as hex; used when {@code hmacKey} is not set.
 *     Default: {@code <data-dir>/keys/consent-hmac.key}, created on first start (owner-only).
 * @param jobInterval how often pending decisions are sent to the contract
 * @param jobBatchSize most decisions sent per run, all in one transaction
 *     ({@code recordConsentDecisions}): a run costs one send and one wait for the server's one
 *     chain signer whatever the number of decisions, so checkpoints do not lag behind a burst of
 *     consents. 50 decisions take about 3 million gas, well inside a block.
 * @param acceptedPolicies policyRule codings ({@code system|code}) and Consent.policy URIs a Consent
 *     may name; anything else is refused with 422
 * @param enforcement whether research requests and clinical reads are filtered by consent
 * @param clinicalPolicy what a clinical reader sees of a patient none of whose privacy consents
 *     decides: {@code opt-out} (everything: permitted unless a consent denies; the default) or
 *     {@code opt-in} (nothing: denied unless a consent permits)
 * @param cacheTtl how long a patient's flattened consents are kept for clinical reads; a Consent
 *     written on this server drops them at once, so this bounds staleness across replicas only
 */
@Validated
@ConfigurationProperties("fhir-anchor.consent")
public record ConsentProperties(
        String hmacKey,
        Path hmacKeyFile,
        @DefaultValue("500ms") Duration jobInterval,
        @DefaultValue("50") @Min(1) int jobBatchSize,

        @DefaultValue({
            "http://terminology.hl7.org/CodeSystem/v3-ActCode|OPTIN",
            "http://terminology.hl7.org/CodeSystem/v3-ActCode|OPTINR",
            "http://terminology.hl7.org/CodeSystem/v3-ActCode|OPTOUT",
            "http://terminology.hl7.org/CodeSystem/v3-ActCode|OPTOUTE",
            "http://terminology.hl7.org/CodeSystem/consentpolicycodes|hipaa-research",
            "http://terminology.hl7.org/CodeSystem/consentpolicycodes|hipaa-auth",
            "http://terminology.hl7.org/CodeSystem/consentpolicycodes|cric",
            "http://terminology.hl7.org/CodeSystem/consentpolicycodes|nih-hipaa",
            "http://terminology.hl7.org/CodeSystem/consentpolicycodes|ga4gh",
            "http://hl7.org/fhir/ConsentPolicy/opt-in",
            "http://hl7.org/fhir/ConsentPolicy/opt-out"
        })
        @NotEmpty
        List<String> acceptedPolicies,

        @DefaultValue("true") boolean enforcement,
        @DefaultValue("opt-out") PrivacyConsentService.Policy clinicalPolicy,
        @DefaultValue("5s") Duration cacheTtl) {

    @Override
    public String toString() {
        return "ConsentProperties[hmacKeyFile=" + hmacKeyFile + ", jobInterval=" + jobInterval + ", acceptedPolicies="
                + acceptedPolicies + ", enforcement=" + enforcement + ", clinicalPolicy=" + clinicalPolicy + "]";
    }
}
