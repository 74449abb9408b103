package org.fhiranchor.server.anchoring;

import java.nio.file.Path;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * {@value #PATH}: the deployment statement this server wrote when it deployed its contract, public
 * like the capability statement (it holds addresses and hashes only). A convenience for operators
 * and verifiers that fetch it once and pin it; 404 when the contract was deployed elsewhere. A
 * functional route rather than a controller, so that it exists only where anchoring is configured.
 */
public final class DeploymentStatementEndpoint {

    public static final String PATH = "/.well-known/fhir-anchor-deployment";

    private DeploymentStatementEndpoint() {}

    static RouterFunction<ServerResponse> route(Path dataDir) {
        return RouterFunctions.route()
                .GET(
                        PATH,
                        request -> DeploymentStatementFile.read(dataDir)
                                .map(json -> ServerResponse.ok()
                                        .contentType(MediaType.APPLICATION_JSON)
                                        .cacheControl(CacheControl.noCache())
                                        .body(json))
                                .orElseGet(() -> ServerResponse.notFound().build()))
                .build();
    }
}
