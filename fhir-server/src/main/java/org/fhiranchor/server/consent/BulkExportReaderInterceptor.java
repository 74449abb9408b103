package org.fhiranchor.server.consent;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;

/**
 * HAPI's bulk export decides each exported resource on a fresh system request, long after the
 * kick-off: the kick-off's {@link ClinicalReader} is therefore written into the job parameters'
 * user data (strings), from which the response filters' bulk hook rebuilds it
 * ({@code ResponseFilterConfiguration} copies job user data into that request).
 */
@Interceptor
public final class BulkExportReaderInterceptor {

    @Hook(Pointcut.STORAGE_PRE_INITIATE_BULK_EXPORT)
    public void carryReader(BulkExportJobParameters parameters, RequestDetails request) {
        if (request != null) {
            ClinicalReader.of(request)
                    .ifPresent(reader -> reader.asJobUserData().forEach(parameters::setUserData));
        }
    }
}
