package org.fhiranchor.server.research.deid;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keyed functions of one export: pseudonyms and per-patient date offsets. Two sub-keys are derived
 * from the export key (HMAC-SHA256 of the export key over a fixed label each), so neither use of the key
 * reveals anything about the other. Without the export key, a pseudonym cannot be linked to its id.
 */
final class ExportKeys {

    private static final String ALGORITHM = "HmacSHA256";

    private final byte[] pseudonymKey;
    private final byte[] dateShiftKey;
    private final int hexLength;

    ExportKeys(byte[] exportKey, int hexLength) {
        if (exportKey == null || exportKey.length != 32) {
            throw new IllegalArgumentException("the export key must be 32 bytes");
        }
        this.pseudonymKey = hmac(exportKey, "fhir-anchor-deid/1 pseudonym");
        this.dateShiftKey = hmac(exportKey, "fhir-anchor-deid/1 date-shift");
        this.hexLength = hexLength;
    }

    /** The pseudonymous id of {@code Type/id}: lower-case hex of a truncated HMAC over the type and id. */
    String pseudonymId(String type, String id) {
        byte[] mac = hmac(pseudonymKey, type + "/" + id);
        return HexFormat.of().formatHex(mac, 0, hexLength / 2);
    }

    /** A whole number of days in [-maxDays, maxDays], the same for every call with the same patient. */
    int dayOffset(String patientReference, int maxDays) {
        byte[] mac = hmac(dateShiftKey, patientReference);
        long value = ByteBuffer.wrap(mac, 0, 8).getLong() & Long.MAX_VALUE;
        return (int) (value % (2L * maxDays + 1)) - maxDays;
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
