package org.fhiranchor.server.consent;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same matrix under the opt-in policy: nothing is read without a permitting consent. */
class OptInPrivacyMatrixTest extends PrivacyMatrixTest {

    @DynamicPropertySource
    static void optIn(DynamicPropertyRegistry registry) {
        registry.add("fhir-anchor.test.context-name", () -> "privacy-opt-in");
        registry.add("fhir-anchor.consent.clinical-policy", () -> "opt-in");
    }

    @Override
    protected PrivacyConsentService.Policy policy() {
        return PrivacyConsentService.Policy.OPT_IN;
    }
}
