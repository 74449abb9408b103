package org.fhiranchor.server.cli;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import org.fhiranchor.server.client.FhirClients;
import picocli.CommandLine.Option;

/**
 * The {@code --token} option of the commands that talk to a FHIR server through HAPI's generic client (restore,
 * sweep), mixed into them with picocli's {@code @Mixin}, and the client it opens.
 */
final class BearerTokenOption {

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            defaultValue = "${env:FHIR_ANCHOR_TOKEN}",
            description = "bearer token for the server at --fhir-base (default: $FHIR_ANCHOR_TOKEN)")
    private String token;

    /** A generic client for {@code fhirBase} sending the token, if one was given. */
    IGenericClient connect(FhirContext fhirContext, String fhirBase) {
        return FhirClients.connect(fhirContext, fhirBase, token);
    }
}
