package org.fhiranchor.server.fhir;

import org.fhiranchor.server.security.Role;

/**
 * The main flows with an EHR system's token ({@code system/*.cruds}) instead of an admin's: every
 * interaction an EHR runs (conditional writes, patch, history, paging, batch, transaction) must be
 * permitted by the SMART scope rules alone.
 */
class H2EhrMainFlowsTest extends MainFlowsTests {

    @Override
    protected Role clientRole() {
        return Role.EHR;
    }
}
