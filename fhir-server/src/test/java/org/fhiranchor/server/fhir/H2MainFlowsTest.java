package org.fhiranchor.server.fhir;

/** The main flows on the embedded default: an H2 file database. */
class H2MainFlowsTest extends MainFlowsTests {}
