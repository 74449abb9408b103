package org.fhiranchor.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.junit.jupiter.api.Test;

class WriteActivityTest {

    private final WriteActivity activity = new WriteActivity();
    private final WriteActivity.RequestHooks hooks = (WriteActivity.RequestHooks) activity.requestHooks();

    @Test
    void aTransactionBundleCountsAsBusyFromItsStartToItsEnd_evenBeforeAnyVersionIsStored() {
        SystemRequestDetails bundle = new SystemRequestDetails();
        hooks.started(bundle, RestOperationTypeEnum.TRANSACTION);

        assertThat(activity.recentVersions()).isZero();
        assertThat(activity.busy(50)).isTrue();

        hooks.completed(bundle);
        assertThat(activity.bundlesInFlight()).isZero();
        assertThat(activity.busy(50))
                .as("the gap before the client's next Bundle")
                .isTrue();
    }

    @Test
    void notBusyWhenNothingWasWritten() {
        assertThat(activity.busy(50)).isFalse();
    }

    @Test
    void singleResourceWritesAndReadsAreNotBundles() {
        SystemRequestDetails create = new SystemRequestDetails();
        SystemRequestDetails search = new SystemRequestDetails();
        hooks.started(create, RestOperationTypeEnum.CREATE);
        hooks.started(search, RestOperationTypeEnum.SEARCH_TYPE);

        assertThat(activity.bundlesInFlight()).isZero();
        hooks.completed(create);
        hooks.completed(search);
        assertThat(activity.bundlesInFlight()).isZero();
    }

    @Test
    void aRequestThatFailedBeforeBeingHandledDoesNotUncountAnother() {
        SystemRequestDetails running = new SystemRequestDetails();
        hooks.started(running, RestOperationTypeEnum.BATCH);
        hooks.completed(new SystemRequestDetails()); // e.g. refused before SERVER_INCOMING_REQUEST_PRE_HANDLED
        hooks.completed(running);
        hooks.completed(running); // a second completion of the same request changes nothing

        assertThat(activity.bundlesInFlight()).isZero();
    }

    @Test
    void fiftyVersionsStoredWithinTwoSecondsCountAsBusy_fewerDoNot() {
        for (int i = 0; i < 49; i++) {
            activity.creating();
        }
        assertThat(activity.busy(50)).isFalse();
        activity.updating();
        assertThat(activity.busy(50)).isTrue();
        assertThat(activity.recentVersions()).isEqualTo(50);
    }

    @Test
    void auditRecordsCountLikeVersions_soFiftyRequestsASecondAreBusy() {
        for (int i = 0; i < 49; i++) {
            activity.auditRecorded();
        }
        assertThat(activity.busy(50)).isFalse();
        activity.auditRecorded();
        assertThat(activity.busy(50)).isTrue();
    }
}
