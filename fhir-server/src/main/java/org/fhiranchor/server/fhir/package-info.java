/** HAPI FHIR JPA R4 server wiring: storage settings, the entity manager, the RESTful server on /fhir. */
package org.fhiranchor.server.fhir;
