package org.fhiranchor.anchor.chain;

import java.util.List;

/**
 * A consent decision to record on chain. Every identifier is a keyed hash (HMAC with a server
 * secret) computed by the caller: the contract never sees a patient, grantee or consent id.
 *
 * @param consentKey keyed hash identifying the consent, 32 bytes
 * @param consentVersion version of the Consent resource, from 1, strictly increasing per consent
 * @param decisionHash hash of the full canonical decision record, 32 bytes
 * @param patientKey keyed hash of the patient, 32 bytes
 * @param granteeKeys keyed hashes of the grantees, 32 bytes each
 * @param purposeCodes hashes of the purpose-of-use codes, 32 bytes each
 * @param permit true for a permit, false for a deny
 * @param status the Consent's status
 * @param periodStart start of the period, Unix seconds, 0 if open
 * @param periodEnd end of the period, Unix seconds, 0 if open
 */
public record ConsentDecision(
        byte[] consentKey,
        long consentVersion,
        byte[] decisionHash,
        byte[] patientKey,
        List<byte[]> granteeKeys,
        List<byte[]> purposeCodes,
        boolean permit,
        ConsentStatus status,
        long periodStart,
        long periodEnd) {

    public ConsentDecision {
        consentKey = Bytes32.copyOf(consentKey, "consentKey");
        decisionHash = Bytes32.copyOf(decisionHash, "decisionHash");
        patientKey = Bytes32.copyOf(patientKey, "patientKey");
        granteeKeys = Bytes32.copyOf(granteeKeys, "granteeKey");
        purposeCodes = Bytes32.copyOf(purposeCodes, "purposeCode");
        if (consentVersion < 1) {
            throw new IllegalArgumentException("consentVersion starts at 1, got " + consentVersion);
        }
        if (status == null) {
            throw new IllegalArgumentException("status is required");
        }
        if (periodStart < 0 || periodEnd < 0 || (periodEnd != 0 && periodEnd < periodStart)) {
            throw new IllegalArgumentException("invalid period " + periodStart + ".." + periodEnd);
        }
    }

    @Override
    public byte[] consentKey() {
        return consentKey.clone();
    }

    @Override
    public byte[] decisionHash() {
        return decisionHash.clone();
    }

    @Override
    public byte[] patientKey() {
        return patientKey.clone();
    }

    @Override
    public List<byte[]> granteeKeys() {
        return granteeKeys.stream().map(byte[]::clone).toList();
    }

    @Override
    public List<byte[]> purposeCodes() {
        return purposeCodes.stream().map(byte[]::clone).toList();
    }
}
