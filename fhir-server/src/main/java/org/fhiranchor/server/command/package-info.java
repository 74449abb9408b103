/** Parsing of the jar's command lines (picocli), shared by the commands of every feature package. */
package org.fhiranchor.server.command;
