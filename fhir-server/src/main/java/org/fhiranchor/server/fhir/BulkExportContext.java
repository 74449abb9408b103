package org.fhiranchor.server.fhir;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.Optional;

/**
 * Marks the request a {@link ResponseFilter} is asked about as one resource of a Bulk Data export
 * ({@code $export}): the export runs as a background job, so the filters see a system request that
 * carries who started the export (their grant is in the request too) instead of the HTTP request.
 * A filter that must also judge bulk exports answers {@code true} from
 * {@link ResponseFilter#appliesTo} when this is present.
 *
 * @param exportKey the export's own key (docs/bulk-export.md)
 * @param subject the token {@code sub} of who started it
 * @param fhirUser the token's {@code fhirUser} claim ({@code Organization/x}), or {@code null}
 */
public record BulkExportContext(String exportKey, String subject, String fhirUser) {

    public static final String USER_DATA_KEY = BulkExportContext.class.getName();

    /**
     * The identifier system of the export key on every export file ({@code Binary.securityContext.identifier}):
     * what tells an export file from any other Binary.
     */
    public static final String EXPORT_KEY_SYSTEM = "urn:fhir-anchor:bulk-export";

    public static Optional<BulkExportContext> of(RequestDetails request) {
        return request == null
                ? Optional.empty()
                : Optional.ofNullable(request.getUserData().get(USER_DATA_KEY))
                        .filter(BulkExportContext.class::isInstance)
                        .map(BulkExportContext.class::cast);
    }
}
