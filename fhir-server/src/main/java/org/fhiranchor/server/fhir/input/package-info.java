/**
 * Guards on what enters the FHIR endpoint before HAPI parses it: body size and content type.
 * Structural checks of the resource itself are done by HAPI's strict parser (see
 * docs/input-validation.md).
 */
package org.fhiranchor.server.fhir.input;
