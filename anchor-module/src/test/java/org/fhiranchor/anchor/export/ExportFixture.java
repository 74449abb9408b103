package org.fhiranchor.anchor.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.fhiranchor.anchor.canonical.ContentHash;
import org.fhiranchor.anchor.chain.AnchorReceipt;
import org.fhiranchor.anchor.chain.ConsentDecision;
import org.fhiranchor.anchor.chain.ConsentStatus;
import org.fhiranchor.anchor.chain.Ledger;
import org.fhiranchor.anchor.export.ExportFile.Role;
import org.fhiranchor.anchor.log.InMemorySubtreeHashes;
import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.anchor.log.MerkleHash;
import org.fhiranchor.anchor.log.MultiInclusionProof;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.anchor.log.ResourceRef;
import org.fhiranchor.anchor.proof.AnchorProof;
import org.fhiranchor.anchor.proof.ChainAnchor;

/**
 * A small research export built the way the server builds one: source versions in a log, de-identified
 * NDJSON sealed to the researcher's key, consent decisions recorded on the chain, the manifest, the
 * Provenance as the log's last leaf, a checkpoint anchored on the chain, and export-proof.json.
 */
final class ExportFixture {

    /** Ways to build a bad export (all files consistent with the manifest, so a later check catches it). */
    record Options(
            boolean wrongSourceLeaf, boolean consentNotOnChain, boolean consentIsDeny, boolean supersedeConsent) {
        static Options honest() {
            return new Options(false, false, false, false);
        }
    }

    static final String[] PATIENTS = {"Patient/pa", "Patient/pb"};
    static final String[] OBSERVATIONS = {"Observation/o1", "Observation/o2", "Observation/o3"};

    final RecipientBox.KeyPair researcher = RecipientBox.generateKeyPair();
    ResearchExportManifest manifest;
    ExportProof proof;
    long treeSize;

    static byte[] hash(String s) {
        return MerkleHash.sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    ExportFixture build(Path dir, Ledger chain, ChainAnchor anchor, Options options) throws IOException {
        InMemorySubtreeHashes tree = new InMemorySubtreeHashes();
        for (int i = 0; i < 5; i++) {
            tree.append(hash("unrelated leaf " + i));
        }
        // Source versions: one leaf each, interleaved with other leaves.
        List<String> exported = new ArrayList<>(List.of(PATIENTS));
        exported.addAll(List.of(OBSERVATIONS));
        List<String> sourceLines = new ArrayList<>();
        for (int i = 0; i < exported.size(); i++) {
            String source = exported.get(i).replace("/", "/src-");
            LeafEntry entry = new LeafEntry(
                    Operation.CREATE,
                    ResourceRef.parse(source + "/_history/1"),
                    hash("source content " + i),
                    hash("salt " + i));
            long index = tree.append(entry.leafHash());
            tree.append(hash("other leaf " + i));
            byte[] claimed = options.wrongSourceLeaf() && i == 3 ? hash("not the leaf") : entry.leafHash();
            sourceLines.add(new SourceLine(index, HexFormat.of().formatHex(claimed), exported.get(i)).format());
        }

        // Consent decisions on chain.
        List<String> consentLines = new ArrayList<>();
        for (int i = 0; i < PATIENTS.length; i++) {
            byte[] key = hash("consent key " + i);
            byte[] decisionHash = hash("decision " + i);
            boolean last = i == PATIENTS.length - 1;
            if (!(options.consentNotOnChain() && last)) {
                chain.recordConsentDecision(new ConsentDecision(
                        key,
                        1,
                        decisionHash,
                        hash("patient key " + i),
                        List.of(),
                        List.of(),
                        !(options.consentIsDeny() && last),
                        ConsentStatus.ACTIVE,
                        0,
                        0));
            }
            if (options.supersedeConsent() && i == 0) {
                // Revoked after the export: the decision the export used stays on chain in its event.
                chain.recordConsentDecision(new ConsentDecision(
                        key,
                        2,
                        hash("decision revoked"),
                        hash("patient key " + i),
                        List.of(),
                        List.of(),
                        false,
                        ConsentStatus.INACTIVE,
                        0,
                        0));
            }
            consentLines.add(new ConsentDecisionLine(
                            HexFormat.of().formatHex(key), 1, HexFormat.of().formatHex(decisionHash), PATIENTS[i])
                    .format());
        }

        // De-identified data, sealed to the researcher.
        List<String> patientLines = new ArrayList<>();
        for (String p : PATIENTS) {
            patientLines.add("{\"gender\":\"female\",\"id\":\"" + p.substring(8) + "\",\"resourceType\":\"Patient\"}");
        }
        List<String> observationLines = new ArrayList<>();
        for (int i = 0; i < OBSERVATIONS.length; i++) {
            observationLines.add("{\"id\":\"" + OBSERVATIONS[i].substring(12) + "\",\"resourceType\":\"Observation\","
                    + "\"status\":\"final\",\"subject\":{\"reference\":\"" + PATIENTS[i % 2]
                    + "\"},\"valueQuantity\":{\"value\":7.20}}");
        }
        Files.createDirectories(dir);
        List<ExportFile> files = new ArrayList<>();
        files.add(seal(dir, "Patient-1.ndjson.enc", Role.DATA, "Patient", patientLines));
        files.add(seal(dir, "Observation-1.ndjson.enc", Role.DATA, "Observation", observationLines));
        files.add(seal(dir, "sources-1.ndjson.enc", Role.SOURCES, null, sourceLines));
        files.add(seal(dir, "consent-decisions.ndjson.enc", Role.CONSENT_DECISIONS, null, consentLines));

        manifest = new ResearchExportManifest(
                "exp-1",
                Instant.parse("2026-11-21T10:00:00Z"),
                "Organization/lab",
                "http://terminology.hl7.org/CodeSystem/v3-ActReason|HRESCH",
                List.of("Patient", "Observation"),
                null,
                "safe-harbor",
                HexFormat.of().formatHex(hash("profile")),
                researcher.publicKeyText(),
                3,
                2,
                1,
                files);
        Files.write(dir.resolve(ResearchExportManifest.FILE_NAME), manifest.canonicalBytes());

        String provenance = "{\"resourceType\":\"Provenance\",\"id\":\"prov1\",\"meta\":{\"versionId\":\"1\","
                + "\"lastUpdated\":\"2026-11-21T10:00:05.000+00:00\"},"
                + "\"target\":[{\"identifier\":{\"system\":\"urn:fhir-anchor:research-export\",\"value\":\"exp-1\"}},"
                + "{\"identifier\":{\"system\":\"urn:fhir-anchor:research-export-manifest\",\"value\":\""
                + manifest.sha256() + "\"}}],"
                + "\"recorded\":\"2026-11-21T10:00:00Z\","
                + "\"agent\":[{\"who\":{\"identifier\":{\"system\":\"urn:fhir-anchor:requester\",\"value\":\"Organization/lab\"}}}]}";
        LeafEntry provenanceLeaf = new LeafEntry(
                Operation.CREATE,
                ResourceRef.parse("Provenance/prov1/_history/1"),
                ContentHash.of(provenance.getBytes(StandardCharsets.UTF_8)),
                hash("provenance salt"));
        long provenanceIndex = tree.append(provenanceLeaf.leafHash());
        treeSize = tree.size();
        AnchorReceipt receipt = chain.submitCheckpoint(treeSize, tree.root(), null);
        ChainAnchor where = anchor != null
                ? anchor
                : new ChainAnchor(chain.chainId(), chain.contractAddress(), receipt.txHash(), receipt.blockNumber());

        long[] indexes = sourceLines.stream()
                .mapToLong(l -> SourceLine.parse(l).leafIndex())
                .sorted()
                .toArray();
        proof = new ExportProof(
                provenance,
                AnchorProof.forLeaf(provenanceLeaf, provenanceIndex, treeSize, tree, where),
                treeSize,
                MultiInclusionProof.generate(indexes, treeSize, tree));
        Files.write(dir.resolve(ExportProof.FILE_NAME), proof.toJson());
        return this;
    }

    private ExportFile seal(Path dir, String name, Role role, String type, List<String> lines) throws IOException {
        byte[] plaintext = Ndjson.write(lines);
        byte[] sealed = new RecipientBox().seal(plaintext, researcher.publicKey());
        Files.write(dir.resolve(name), sealed);
        return new ExportFile(
                name,
                role,
                type,
                lines.size(),
                "bafkreifakecid" + lines.size(),
                RecipientBox.sha256Hex(sealed),
                RecipientBox.sha256Hex(plaintext));
    }
}
