package org.fhiranchor.server.tlog;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The C2SP view of the log ({@code fhir-anchor.tlog.*}, docs/configuration.md).
 *
 * @param origin the checkpoint origin line and note key name; empty: {@code fhir-anchor.local/log/<16 hex
 *     digits of SHA-256 of the public key>}, stable as long as the key file is kept. Set it to the log's public
 *     URL prefix without scheme ({@code fhir.example-hospital.org/log}) before anyone starts witnessing the log.
 * @param keyFile the Ed25519 note key (hex seed, owner-only); empty: {@code <data-dir>/keys/tlog-note-ed25519.key},
 *     created on first start
 * @param requireToken when true, the checkpoint and the hash tiles need a bearer token like any other endpoint
 * @param publicEntries when true, entry bundles are served without a token; by default they need a token with
 *     {@code operation/$verify} (or {@code operation/*}), because the entries hold the leaves' salts and
 *     resource references (docs/verification.md section 7.3)
 * @param checkpointMaxAge the {@code Cache-Control: max-age} of the checkpoint and of partial tiles
 * @param witnesses the tlog-witnesses asked to cosign each anchored checkpoint (docs/verification.md section 7.6)
 * @param witnessQuorum how many of them must have cosigned a checkpoint before it is served; 0: the latest
 *     anchored checkpoint is served with whatever cosignatures it has
 * @param witnessInterval how often the witnessing job looks for a checkpoint to get cosigned
 * @param witnessTimeout per request to a witness
 */
@Validated
@ConfigurationProperties("fhir-anchor.tlog")
public record TlogProperties(
        String origin,
        Path keyFile,
        @DefaultValue("false") boolean requireToken,
        @DefaultValue("false") boolean publicEntries,
        @DefaultValue("5s") Duration checkpointMaxAge,
        List<WitnessEndpoint> witnesses,
        @DefaultValue("0") int witnessQuorum,
        @DefaultValue("1s") Duration witnessInterval,
        @DefaultValue("10s") Duration witnessTimeout) {

    /**
     * One witness.
     *
     * @param url its submission prefix ({@code add-checkpoint} is appended)
     * @param key its cosignature verifier key, {@code <name>+<key id>+<base64(0x04 || public key)>}
     */
    public record WitnessEndpoint(URI url, String key) {}

    public TlogProperties {
        witnesses = witnesses == null ? List.of() : List.copyOf(witnesses);
        if (witnessQuorum < 0 || witnessQuorum > witnesses.size()) {
            throw new IllegalArgumentException("fhir-anchor.tlog.witness-quorum must be between 0 and the number of "
                    + "configured witnesses (" + witnesses.size() + ")");
        }
    }
}
