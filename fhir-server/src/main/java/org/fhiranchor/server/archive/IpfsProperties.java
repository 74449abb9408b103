package org.fhiranchor.server.archive;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where archives are stored ({@code fhir-anchor.ipfs.*}).
 *
 * @param mode {@code embedded}: the built-in block store under {@code embeddedDir}; {@code kubo}: a Kubo RPC node
 * @param embeddedDir embedded mode: the store directory; empty means {@code <data-dir>/ipfs}
 * @param kuboApiUrl kubo mode: the node's RPC address, e.g. {@code http://127.0.0.1:5001}
 * @param timeout per request to the node (and the node-side timeout of {@code cat})
 */
@Validated
@ConfigurationProperties("fhir-anchor.ipfs")
public record IpfsProperties(
        @DefaultValue("embedded") @NotNull Mode mode,
        Path embeddedDir,
        URI kuboApiUrl,
        @DefaultValue("30s") Duration timeout) {

    public enum Mode {
        EMBEDDED,
        KUBO
    }
}
