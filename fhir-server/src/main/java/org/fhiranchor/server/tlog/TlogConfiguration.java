package org.fhiranchor.server.tlog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.fhiranchor.anchor.log.MerkleHash;
import org.fhiranchor.anchor.tlog.NoteFormatException;
import org.fhiranchor.anchor.tlog.NoteSigner;
import org.fhiranchor.anchor.tlog.NoteVerifier;
import org.fhiranchor.anchor.tlog.WitnessClient;
import org.fhiranchor.server.anchoring.CheckpointRepository;
import org.fhiranchor.server.jobs.PeriodicJobs;
import org.fhiranchor.server.log.JdbcSubtreeHashes;
import org.fhiranchor.server.log.LogDatabase;
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
        Path file = properties.keyFile() != null
                ? properties.keyFile()
                : dataDir.resolve("keys").resolve("tlog-note-ed25519.key");
        byte[] seed = NoteKeyFile.loadOrCreate(file);
        String origin = properties.origin() != null && !properties.origin().isBlank()
                ? properties.origin().trim()
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
    CosignatureRepository cosignatureRepository(LogDatabase db) {
        return new CosignatureRepository(db.jdbc());
    }

    @Bean
    CheckpointNotes checkpointNotes(
            CheckpointRepository checkpoints,
            NoteSigner tlogNoteSigner,
            CosignatureRepository cosignatures,
            TlogProperties properties) {
        return new CheckpointNotes(checkpoints, tlogNoteSigner, cosignatures, properties.witnessQuorum());
    }

    /** Only when witnesses are configured: asks them to cosign each anchored checkpoint. */
    @Bean
    @ConditionalOnExpression("'${fhir-anchor.tlog.witnesses[0].url:}' != ''")
    PeriodicJobs witnessingJobs(
            TlogProperties properties,
            CheckpointRepository checkpoints,
            CheckpointNotes notes,
            CosignatureRepository cosignatures,
            JdbcSubtreeHashes subtrees) {
        List<WitnessClient> clients = new ArrayList<>();
        for (TlogProperties.WitnessEndpoint witness : properties.witnesses()) {
            try {
                clients.add(new WitnessClient(
                        witness.url(), NoteVerifier.parse(witness.key()), properties.witnessTimeout()));
            } catch (NoteFormatException | IllegalArgumentException e) {
                throw new IllegalStateException(
                        "fhir-anchor.tlog.witnesses: bad key for " + witness.url() + ": " + e.getMessage());
            }
        }
        WitnessingJob job = new WitnessingJob(checkpoints, notes, cosignatures, clients, subtrees);
        return new PeriodicJobs(List.of(new PeriodicJobs.Job(
                "witnessing", job::run, properties.witnessInterval(), properties.witnessInterval())));
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
    ServletRegistrationBean<TlogServlet> tlogServlet(
            CheckpointNotes checkpoints, TileSource tiles, TlogProperties properties) {
        return new ServletRegistrationBean<>(
                new TlogServlet(checkpoints, tiles, properties), TlogServlet.PREFIX + "/*");
    }
}
