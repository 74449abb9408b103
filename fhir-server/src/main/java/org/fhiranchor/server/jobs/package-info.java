/** Background work of the server (sequencer, anchoring, archiving, consent decisions) on its own threads. */
package org.fhiranchor.server.jobs;
