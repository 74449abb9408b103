/**
 * The FHIR Anchor Spring Boot application. Sub-packages hold one feature each: {@code fhir} wires
 * the HAPI JPA server and its input checks.
 */
package org.fhiranchor.server;
