package org.fhiranchor.anchor.chain;

/**
 * FHIR R4 Consent.status as the contract stores it: one byte, the ordinal below. The codes are
 * part of the on-chain format (docs/contract.md), so never reorder them; only append.
 */
public enum ConsentStatus {
    DRAFT("draft"),
    PROPOSED("proposed"),
    ACTIVE("active"),
    REJECTED("rejected"),
    INACTIVE("inactive"),
    ENTERED_IN_ERROR("entered-in-error");

    private final String fhirCode;

    ConsentStatus(String fhirCode) {
        this.fhirCode = fhirCode;
    }

    public String fhirCode() {
        return fhirCode;
    }

    public int onChainCode() {
        return ordinal();
    }

    public static ConsentStatus fromOnChainCode(int code) {
        ConsentStatus[] all = values();
        if (code < 0 || code >= all.length) {
            throw new IllegalArgumentException("unknown consent status code " + code);
        }
        return all[code];
    }

    public static ConsentStatus fromFhirCode(String code) {
        for (ConsentStatus status : values()) {
            if (status.fhirCode.equals(code)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown FHIR Consent.status " + code);
    }
}
