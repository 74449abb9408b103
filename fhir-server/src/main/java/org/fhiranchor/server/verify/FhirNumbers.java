package org.fhiranchor.server.verify;

import java.math.BigDecimal;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Type;

/**
 * Non-negative counts and chain numbers (tree sizes, leaf indexes, chain ids, block numbers) as JSON
 * numbers: {@code valueInteger}, or, above FHIR R4's 32-bit {@code integer}, a {@code valueDecimal}
 * without a fraction. Readers take the JSON number either way.
 */
final class FhirNumbers {

    private FhirNumbers() {}

    static Type of(long value) {
        return value <= Integer.MAX_VALUE ? new IntegerType((int) value) : new DecimalType(new BigDecimal(value));
    }
}
