package org.fhiranchor.server.consent;

import org.fhiranchor.server.audit.AuditStoreTest;
import org.springframework.test.context.TestPropertySource;

/**
 * {@link PatientPrivacyTest} with the audit trail in its own store: a patient's access log, break-glass events and
 * their proofs, the refusals of another patient's log, all answered from the store.
 */
@TestPropertySource(properties = {AuditStoreTest.CONTEXT, AuditStoreTest.STORE})
class PatientPrivacyStoreTest extends PatientPrivacyTest {}
