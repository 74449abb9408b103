package org.fhiranchor.anchor.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.fhiranchor.anchor.canonical.JsonArray;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.canonical.JsonString;
import org.fhiranchor.anchor.canonical.JsonValue;
import org.fhiranchor.anchor.chain.ChainCheckpointSource;
import org.fhiranchor.anchor.chain.LedgerException;
import org.fhiranchor.anchor.chain.LedgerReader;
import org.fhiranchor.anchor.chain.OnChainCheckpoint;
import org.fhiranchor.anchor.chain.OnChainConsentDecision;
import org.fhiranchor.anchor.export.RecipientBox.BoxException;
import org.fhiranchor.anchor.files.OwnerOnlyFiles;
import org.fhiranchor.anchor.log.CheckResult;
import org.fhiranchor.anchor.log.MultiInclusionProof;
import org.fhiranchor.anchor.proof.AnchorProof;
import org.fhiranchor.anchor.proof.ProofVerifier;
import org.fhiranchor.anchor.proof.VerificationResult;

/**
 * The researcher's offline check of an export directory (docs/research-export.md section 5), against a
 * contract the researcher chose. The six checks run in order and the first that does not pass ends the
 * run. Without a private key, checks 4 to 6 (which need the decrypted files) are skipped. With an output
 * directory, decrypted files are written as {@code <name>.ndjson.partial} and renamed to
 * {@code <name>.ndjson} only when every check passed; otherwise they are deleted.
 */
public final class ResearchExportVerifier {

    public static final String MANIFEST_SYSTEM = "urn:fhir-anchor:research-export-manifest";
    public static final String EXPORT_SYSTEM = "urn:fhir-anchor:research-export";

    public enum Status {
        PASSED,
        FAILED,
        SKIPPED,
        UNAVAILABLE
    }

    /** One check's outcome; {@code number} 1..6 as in the spec. */
    public record Check(int number, String name, Status status, String detail) {}

    /** All checks run (the last one is the first that did not pass, if any). */
    public record Report(List<Check> checks) {
        public Report {
            checks = List.copyOf(checks);
        }

        /** Every check passed or was skipped (skipped only without a key). */
        public boolean verified() {
            return checks.size() == NAMES.length
                    && checks.stream().allMatch(c -> c.status() == Status.PASSED || c.status() == Status.SKIPPED);
        }

        public boolean complete() {
            return verified() && checks.stream().allMatch(c -> c.status() == Status.PASSED);
        }

        public Optional<Check> firstProblem() {
            return checks.stream()
                    .filter(c -> c.status() == Status.FAILED || c.status() == Status.UNAVAILABLE)
                    .findFirst();
        }
    }

    static final String[] NAMES = {"provenance", "manifest", "files", "decryption", "sources", "consent"};

    private final LedgerReader chain;
    private final ChainCheckpointSource checkpoints;

    public ResearchExportVerifier(LedgerReader chain) {
        this.chain = Objects.requireNonNull(chain, "chain");
        this.checkpoints = new ChainCheckpointSource(chain);
    }

    /** A check that did not pass: ends the run. */
    private static final class Stop extends Exception {
        private static final long serialVersionUID = 1L;
        final Status status;

        Stop(Status status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        static Stop failed(String message) {
            return new Stop(Status.FAILED, message);
        }
    }

    /** What the run learnt so far. */
    private static final class State {
        ExportProof proof;
        JsonObject provenance;
        ResearchExportManifest manifest;
        final Map<ExportFile, Path> partials = new HashMap<>();
        final Map<String, Integer> exported = new HashMap<>();
        final List<SourceLine> sources = new ArrayList<>();
        final List<ConsentDecisionLine> consents = new ArrayList<>();
    }

    private interface Step {
        String run(State state) throws Stop;
    }

    /**
     * @param dir the export as downloaded: {@code manifest.json}, {@code export-proof.json} and the files
     * @param privateKeyOrNull the recipient's 32-byte private key; null skips checks 4-6
     * @param outOrNull where to write the decrypted NDJSON (created if needed); null writes nothing
     * @param progress sees each check as it finishes
     */
    public Report verify(Path dir, byte[] privateKeyOrNull, Path outOrNull, Consumer<Check> progress) {
        State state = new State();
        List<Check> checks = new ArrayList<>();
        Path base = dir.toAbsolutePath();
        Step[] steps = {
            s -> provenance(s, base),
            s -> manifest(s, base),
            s -> files(s, base),
            s -> decrypt(s, base, privateKeyOrNull, outOrNull),
            this::sources,
            this::consents,
        };
        boolean ok = true;
        for (int i = 0; i < steps.length && ok; i++) {
            Check check;
            if (i >= 3 && privateKeyOrNull == null) {
                check = new Check(i + 1, NAMES[i], Status.SKIPPED, "needs the recipient's private key (--key)");
            } else {
                try {
                    check = new Check(i + 1, NAMES[i], Status.PASSED, steps[i].run(state));
                } catch (Stop e) {
                    check = new Check(i + 1, NAMES[i], e.status, e.getMessage());
                    ok = false;
                } catch (RuntimeException e) {
                    check = new Check(i + 1, NAMES[i], Status.FAILED, e.toString());
                    ok = false;
                }
            }
            checks.add(check);
            progress.accept(check);
        }
        finishOutput(state, ok);
        return new Report(checks);
    }

    // ---- 1. the Provenance and its proof -------------------------------------------------------

    private String provenance(State state, Path dir) throws Stop {
        byte[] bytes = read(dir.resolve(ExportProof.FILE_NAME));
        try {
            state.proof = ExportProof.parse(bytes);
        } catch (RuntimeException e) {
            throw Stop.failed(ExportProof.FILE_NAME + " is not a valid " + ExportProof.FORMAT + ": " + e.getMessage());
        }
        AnchorProof proof = state.proof.provenanceProof();
        if (!proof.leaf().resource().type().equals("Provenance")) {
            throw Stop.failed("the proof is for " + proof.leaf().resource() + ", not a Provenance");
        }
        byte[] served = state.proof.provenanceJson().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        VerificationResult result = ProofVerifier.verify(served, proof, checkpoints);
        if (result.status() == VerificationResult.Status.CHECKPOINT_UNAVAILABLE) {
            throw new Stop(Status.UNAVAILABLE, result.status() + ": " + result.detail());
        }
        if (!result.verified()) {
            throw Stop.failed(result.status() + ": " + result.detail());
        }
        state.provenance = JsonParser.parseObject(served);
        String block = checkpoints
                .checkpoint(proof.treeSize())
                .map(OnChainCheckpoint::blockNumber)
                .map(b -> ", anchored in block " + b)
                .orElse("");
        return proof.leaf().resource() + " is leaf " + proof.leafIndex() + " of the tree of size " + proof.treeSize()
                + ", root " + HexFormat.of().formatHex(proof.rootHash()) + block;
    }

    // ---- 2. the manifest is the one the Provenance names --------------------------------------

    private String manifest(State state, Path dir) throws Stop {
        byte[] bytes = read(dir.resolve(ResearchExportManifest.FILE_NAME));
        String actual = RecipientBox.sha256Hex(bytes);
        String named = targetIdentifier(state.provenance, MANIFEST_SYSTEM)
                .orElseThrow(() -> Stop.failed("the Provenance has no target identifier " + MANIFEST_SYSTEM));
        if (!named.equals(actual)) {
            throw Stop.failed("manifest.json hashes to " + actual + ", the Provenance names " + named);
        }
        try {
            state.manifest = ResearchExportManifest.parse(bytes);
        } catch (RuntimeException e) {
            throw Stop.failed("manifest.json is not a valid " + ResearchExportManifest.FORMAT + ": " + e.getMessage());
        }
        Optional<String> exportId = targetIdentifier(state.provenance, EXPORT_SYSTEM);
        if (exportId.isPresent() && !exportId.get().equals(state.manifest.exportId())) {
            throw Stop.failed("the Provenance is for export " + exportId.get() + ", the manifest for "
                    + state.manifest.exportId());
        }
        return "SHA-256 " + actual + " (export " + state.manifest.exportId() + ", "
                + state.manifest.files().size() + " files, " + state.manifest.included() + " of "
                + state.manifest.considered() + " patients included)";
    }

    private static Optional<String> targetIdentifier(JsonObject provenance, String system) {
        Optional<JsonValue> targets = provenance.member("target");
        if (targets.isEmpty() || !(targets.get() instanceof JsonArray array)) {
            return Optional.empty();
        }
        for (JsonValue target : array.elements()) {
            if (target instanceof JsonObject t
                    && t.path("identifier", "system").equals(Optional.of(new JsonString(system)))
                    && t.path("identifier", "value").orElse(null) instanceof JsonString value) {
                return Optional.of(value.value());
            }
        }
        return Optional.empty();
    }

    // ---- 3. the encrypted files are the manifest's ---------------------------------------------

    private String files(State state, Path dir) throws Stop {
        long bytes = 0;
        for (ExportFile file : state.manifest.files()) {
            byte[] content = read(dir.resolve(file.name()));
            String actual = RecipientBox.sha256Hex(content);
            if (!actual.equals(file.sha256())) {
                throw Stop.failed(file.name() + " hashes to " + actual + ", the manifest says " + file.sha256());
            }
            bytes += content.length;
        }
        return state.manifest.files().size() + " files, " + bytes + " bytes, SHA-256 as listed (CIDs not recomputed)";
    }

    // ---- 4. decryption -------------------------------------------------------------------------

    private String decrypt(State state, Path dir, byte[] privateKey, Path out) throws Stop {
        String publicKey = RecipientBox.encodeKey(RecipientBox.publicKeyOf(privateKey));
        if (!publicKey.equals(state.manifest.recipientPublicKey())) {
            throw Stop.failed("this private key (public key " + publicKey + ") is not the export's recipient ("
                    + state.manifest.recipientPublicKey() + "): the files were encrypted for another key");
        }
        if (out != null) {
            try {
                Files.createDirectories(out);
            } catch (IOException e) {
                throw Stop.failed("cannot create " + out + ": " + e.getMessage());
            }
        }
        long lines = 0;
        for (ExportFile file : state.manifest.files()) {
            byte[] plaintext;
            try {
                plaintext = RecipientBox.open(read(dir.resolve(file.name())), privateKey);
            } catch (BoxException e) {
                throw Stop.failed(file.name() + ": " + e.getMessage());
            }
            String actual = RecipientBox.sha256Hex(plaintext);
            if (!actual.equals(file.plaintextSha256())) {
                throw Stop.failed(file.name() + " decrypts to content hashing to " + actual + ", the manifest says "
                        + file.plaintextSha256());
            }
            List<String> content;
            try {
                content = Ndjson.lines(plaintext);
            } catch (IllegalArgumentException e) {
                throw Stop.failed(file.name() + " is not NDJSON: " + e.getMessage());
            }
            if (content.size() != file.count()) {
                throw Stop.failed(file.name() + " has " + content.size() + " lines, the manifest says " + file.count());
            }
            for (int i = 0; i < content.size(); i++) {
                try {
                    readLine(state, file, content.get(i));
                } catch (RuntimeException e) {
                    throw Stop.failed(file.name() + " line " + (i + 1) + ": " + e.getMessage());
                }
            }
            lines += content.size();
            if (out != null) {
                Path partial = out.resolve(file.plaintextName() + ".partial");
                try {
                    Files.deleteIfExists(partial);
                    OwnerOnlyFiles.createNew(partial, plaintext);
                } catch (IOException e) {
                    throw Stop.failed("cannot write " + partial + ": " + e.getMessage());
                }
                state.partials.put(file, partial);
            }
        }
        return state.manifest.files().size() + " files decrypted, " + lines
                + " lines, plaintext SHA-256 and counts as listed";
    }

    private static void readLine(State state, ExportFile file, String line) {
        switch (file.role()) {
            case DATA -> {
                JsonObject resource = JsonParser.parseObject(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                String type = resource.getString("resourceType");
                if (!type.equals(file.type())) {
                    throw new IllegalArgumentException("a " + type + " in a file of " + file.type());
                }
                state.exported.merge(type + "/" + resource.getString("id"), 1, Integer::sum);
            }
            case SOURCES -> state.sources.add(SourceLine.parse(line));
            case CONSENT_DECISIONS -> state.consents.add(ConsentDecisionLine.parse(line));
        }
    }

    // ---- 5. the sources multi-proof ------------------------------------------------------------

    private String sources(State state) throws Stop {
        List<SourceLine> sorted = new ArrayList<>(state.sources);
        sorted.sort(Comparator.comparingLong(SourceLine::leafIndex));
        if (sorted.isEmpty()) {
            if (!state.exported.isEmpty()) {
                throw Stop.failed("no source lines for " + state.exported.size() + " exported resources");
            }
            return "no resources exported, no sources";
        }
        long[] indexes = new long[sorted.size()];
        List<byte[]> hashes = new ArrayList<>(sorted.size());
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = sorted.get(i).leafIndex();
            hashes.add(HexFormat.of().parseHex(sorted.get(i).leafHash()));
        }
        AnchorProof anchored = state.proof.provenanceProof();
        CheckResult result = MultiInclusionProof.verify(
                state.proof.treeSize(), indexes, hashes, state.proof.sourceHashes(), anchored.rootHash());
        if (!result.passed()) {
            throw Stop.failed("the sources multi-proof does not give the anchored root of tree size "
                    + state.proof.treeSize() + ": " + result.reason());
        }
        Set<String> named = new HashSet<>();
        for (SourceLine line : sorted) {
            if (!named.add(line.resource())) {
                throw Stop.failed(line.resource() + " is named by more than one source line");
            }
            if (!state.exported.containsKey(line.resource())) {
                throw Stop.failed("the source line of leaf " + line.leafIndex() + " names " + line.resource()
                        + ", which is in no data file");
            }
        }
        for (Map.Entry<String, Integer> resource : state.exported.entrySet()) {
            if (resource.getValue() > 1) {
                throw Stop.failed(resource.getKey() + " is exported " + resource.getValue() + " times");
            }
            if (!named.contains(resource.getKey())) {
                throw Stop.failed(resource.getKey() + " is exported but named by no source line");
            }
        }
        return sorted.size() + " source leaves in the anchored tree of size " + state.proof.treeSize() + " ("
                + state.proof.sourceHashes().size() + " proof hashes), one per exported resource";
    }

    // ---- 6. the consent decisions are on chain as permits --------------------------------------

    private String consents(State state) throws Stop {
        Set<String> patients = new HashSet<>();
        Set<String> seen = new HashSet<>();
        for (ConsentDecisionLine line : state.consents) {
            if (!seen.add(line.consentKey() + "/" + line.consentVersion())) {
                throw Stop.failed(
                        "consent " + line.consentKey() + " version " + line.consentVersion() + " listed twice");
            }
            Optional<OnChainConsentDecision> onChain;
            try {
                onChain = chain.consentDecision(HexFormat.of().parseHex(line.consentKey()), line.consentVersion());
            } catch (LedgerException e) {
                throw new Stop(Status.UNAVAILABLE, "cannot read consent " + line.consentKey() + ": " + e.getMessage());
            } catch (UnsupportedOperationException e) {
                throw new Stop(
                        Status.UNAVAILABLE,
                        "consent " + line.consentKey() + " version " + line.consentVersion() + ": " + e.getMessage());
            }
            if (onChain.isEmpty()) {
                throw Stop.failed("consent " + line.consentKey() + " version " + line.consentVersion() + " (for "
                        + line.patient() + ") is not on chain");
            }
            if (!Arrays.equals(onChain.get().decisionHash(), HexFormat.of().parseHex(line.decisionHash()))) {
                throw Stop.failed("consent " + line.consentKey() + " version " + line.consentVersion()
                        + ": the chain holds decision hash "
                        + HexFormat.of().formatHex(onChain.get().decisionHash()) + ", the export says "
                        + line.decisionHash());
            }
            if (!onChain.get().permit()) {
                throw Stop.failed("consent " + line.consentKey() + " version " + line.consentVersion() + " (for "
                        + line.patient() + ") is recorded on chain as a deny");
            }
            patients.add(line.patient());
        }
        if (patients.size() != state.manifest.included()) {
            throw Stop.failed("the consent decisions permit " + patients.size() + " patients, the manifest says "
                    + state.manifest.included() + " were included");
        }
        for (String resource : state.exported.keySet()) {
            if (resource.startsWith("Patient/") && !patients.contains(resource)) {
                throw Stop.failed(resource + " is exported without a consent decision that permits it");
            }
        }
        return state.consents.size() + " decisions on chain as permits, " + patients.size() + " patients";
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static byte[] read(Path file) throws Stop {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw Stop.failed(file.getFileName() + " is missing from " + file.getParent());
        } catch (IOException e) {
            throw Stop.failed("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static void finishOutput(State state, boolean verified) {
        for (Map.Entry<ExportFile, Path> partial : state.partials.entrySet()) {
            try {
                if (verified) {
                    Files.move(
                            partial.getValue(),
                            partial.getValue().resolveSibling(partial.getKey().plaintextName()),
                            StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                } else {
                    Files.deleteIfExists(partial.getValue());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
