package org.fhiranchor.server.anchoring;

import java.nio.file.Path;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@value #PATH}: the deployment statement this server wrote when it deployed its contract, public
 * like the capability statement (it holds addresses and hashes only). A convenience for operators
 * and verifiers that fetch it once and pin it; 404 when the contract was deployed elsewhere.
 */
@RestController
public final class DeploymentStatementController {

    public static final String PATH = "/.well-known/fhir-anchor-deployment";

    private final Path dataDir;

    DeploymentStatementController(Path dataDir) {
        this.dataDir = dataDir;
    }

    @GetMapping(PATH)
    ResponseEntity<String> statement() {
        return DeploymentStatementFile.read(dataDir)
                .map(json -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                        .cacheControl(CacheControl.noCache()).body(json))
                .orElseGet(() -> ResponseEntity.notFound().build());
    }
}
