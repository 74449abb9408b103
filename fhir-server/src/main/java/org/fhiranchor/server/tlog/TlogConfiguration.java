package org.fhiranchor.server.tlog;

import java.nio.file.Path;
import java.util.HexFormat;
import org.fhiranchor.anchor.log.MerkleHash;
import org.fhiranchor.anchor.tlog.NoteSigner;
import org.fhiranchor.server.anchoring.CheckpointRepository;
import org.fhiranchor.server.log.JdbcSubtreeHashes;
import org.fhiranchor.server.log.LogRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The C2SP endpoints under {@code /log}; absent when anchoring is off (no log). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${fhir-anchor.anchoring.mode:checkpoint}'.toLowerCase() != 'off'")
class TlogConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TlogConfiguration.class);

    @Bean
    NoteSigner tlogNoteSigner(TlogProperties properties, @Value("${fhir-anchor.data-dir}") Path dataDir) {
        Path file = properties.keyFile() != null ? properties.keyFile()
                : dataDir.resolve("keys").resolve("tlog-note-ed25519.key");
        byte[] seed = NoteKeyFile.loadOrCreate(file);
        String origin = properties.origin() != null && !properties.origin().isBlank() ? properties.origin().trim()
                : defaultOrigin(NoteSigner.fromSeed("key", seed).publicKey());
        NoteSigner signer = NoteSigner.fromSeed(origin, seed);
        log.info("Transparency log origin {}, verifier key {}", origin, signer.verifierKey());
        return signer;
    }

    /** {@code fhir-anchor.local/log/} and 16 hex digits of SHA-256 of the public key: unique per key, stable. */
    static String defaultOrigin(byte[] publicKey) {
        return "fhir-anchor.local/log/" + HexFormat.of().formatHex(MerkleHash.sha256(publicKey), 0, 8);
    }

    @Bean
    CheckpointNotes checkpointNotes(CheckpointRepository checkpoints, NoteSigner tlogNoteSigner) {
        return new CheckpointNotes(checkpoints, tlogNoteSigner);
    }

    @Bean
    TlogProofPart tlogProofPart(CheckpointNotes checkpointNotes) {
        return new TlogProofPart(checkpointNotes);
    }

    @Bean
    TileSource tileSource(LogRepository log, JdbcSubtreeHashes subtrees) {
        return new TileSource(log, subtrees);
    }

    @Bean
    ServletRegistrationBean<TlogServlet> tlogServlet(CheckpointNotes checkpoints, TileSource tiles, TlogProperties properties) {
        return new ServletRegistrationBean<>(new TlogServlet(checkpoints, tiles, properties), TlogServlet.PREFIX + "/*");
    }
}
