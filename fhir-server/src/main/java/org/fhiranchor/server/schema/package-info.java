/** The project's own database tables under versioned Flyway migrations ({@code db/anchor}). */
package org.fhiranchor.server.schema;
