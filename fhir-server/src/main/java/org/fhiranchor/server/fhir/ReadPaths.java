package org.fhiranchor.server.fhir;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.EnumSet;
import java.util.Set;

/**
 * The interactions that show stored resources, and the 403 of an instance read: one list for every response filter
 * (privacy consents, the pharmacist's and insurer's relation filters), so a read path added here reaches them all.
 */
public final class ReadPaths {

    private static final Set<RestOperationTypeEnum> READ_PATHS = EnumSet.of(
            RestOperationTypeEnum.READ,
            RestOperationTypeEnum.VREAD,
            RestOperationTypeEnum.SEARCH_TYPE,
            RestOperationTypeEnum.SEARCH_SYSTEM,
            RestOperationTypeEnum.GET_PAGE,
            RestOperationTypeEnum.HISTORY_INSTANCE,
            RestOperationTypeEnum.HISTORY_TYPE,
            RestOperationTypeEnum.HISTORY_SYSTEM,
            RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE,
            RestOperationTypeEnum.EXTENDED_OPERATION_TYPE,
            RestOperationTypeEnum.EXTENDED_OPERATION_SERVER,
            RestOperationTypeEnum.GRAPHQL_REQUEST,
            // A batch or transaction carries reads as entries; its entries share its user data, so the
            // consent framework must not be switched off for the Bundle, or its GET entries would bypass it.
            RestOperationTypeEnum.BATCH,
            RestOperationTypeEnum.TRANSACTION);
    private static final Set<RestOperationTypeEnum> INSTANCE_READS =
            EnumSet.of(RestOperationTypeEnum.READ, RestOperationTypeEnum.VREAD);

    /** Resources that carry no data of their own: the envelope, outcomes, operation results. */
    private static final Set<String> ENVELOPES = Set.of("Bundle", "OperationOutcome", "Parameters");

    private ReadPaths() {}

    public static boolean reads(RequestDetails request) {
        return READ_PATHS.contains(request.getRestOperationType());
    }

    public static boolean envelope(String type) {
        return ENVELOPES.contains(type);
    }

    /** An instance read of a withheld resource is refused (403, saying why); elsewhere it is left out. */
    public static void refuseInstanceRead(RequestDetails request, String refusal) {
        if (INSTANCE_READS.contains(request.getRestOperationType())) {
            throw new StatedRefusal(refusal);
        }
    }
}
