/** Command-line tools packaged in the server's jar ({@code java -jar fhir-anchor-server.jar <command>}). */
package org.fhiranchor.server.cli;
