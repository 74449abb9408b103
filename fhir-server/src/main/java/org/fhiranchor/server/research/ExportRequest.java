package org.fhiranchor.server.research;

import java.time.Instant;
import java.util.List;

/**
 * What a researcher asked for, as checked at kick-off.
 *
 * @param requester {@code Organization/x} or {@code Practitioner/y}, from the token
 * @param purposeOfUse the v3-ActReason code, from the token
 * @param types resource types to export, sorted
 * @param since only versions last updated at or after this instant, or null
 * @param profile the de-identification profile's name
 * @param recipientPublicKey the researcher's X25519 public key, base64url
 */
public record ExportRequest(
        String requester,
        String purposeOfUse,
        List<String> types,
        Instant since,
        String profile,
        String recipientPublicKey) {

    public ExportRequest {
        types = List.copyOf(types);
    }
}
