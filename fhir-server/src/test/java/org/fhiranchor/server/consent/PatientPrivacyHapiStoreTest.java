package org.fhiranchor.server.consent;

import org.fhiranchor.server.audit.AuditBatchesTest;
import org.springframework.test.context.TestPropertySource;

/**
 * {@link PatientPrivacyTest} (which runs on the audit store, the default) with the audit trail kept as HAPI
 * resources ({@code fhir-anchor.audit.store=hapi}): a patient's access log, break-glass events and their proofs,
 * the refusals of another patient's log, all answered from HAPI's tables. The server of AuditBatchesTest.
 */
@TestPropertySource(properties = {AuditBatchesTest.HAPI_CONTEXT, AuditBatchesTest.HAPI_STORE})
class PatientPrivacyHapiStoreTest extends PatientPrivacyTest {}
