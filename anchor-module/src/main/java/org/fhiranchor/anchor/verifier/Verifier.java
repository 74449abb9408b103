package org.fhiranchor.anchor.verifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fhiranchor.anchor.canonical.CanonicalJson;
import org.fhiranchor.anchor.log.ResourceRef;
import org.fhiranchor.anchor.proof.AnchorProof;
import org.fhiranchor.anchor.proof.BatchedProof;
import org.fhiranchor.anchor.proof.BatchedProofJson;
import org.fhiranchor.anchor.proof.BatchedProofVerifier;
import org.fhiranchor.anchor.proof.CheckpointSource;
import org.fhiranchor.anchor.proof.MultiProof;
import org.fhiranchor.anchor.proof.MultiProofVerifier;
import org.fhiranchor.anchor.proof.ProofVerifier;
import org.fhiranchor.anchor.proof.VerificationResult;
import org.fhiranchor.anchor.proof.VerificationResult.Status;
import org.fhiranchor.anchor.verifier.FhirSource.FhirSourceException;
import org.fhiranchor.anchor.verifier.FhirSource.HistoryEntry;
import org.fhiranchor.anchor.verifier.VerifyParameters.NoProofException;
import org.fhiranchor.anchor.verifier.VersionCheck.Outcome;

/**
 * Verifies resource versions against the checkpoints of the auditor's contract: one version from
 * bytes and a proof, one version fetched from a server, or every version of a server's history.
 * A version's proof is a log leaf's ({@code fhir-anchor-proof/1}) or, for a version written as a member of a
 * batch (the server's AuditEvents), a batched proof ({@code fhir-anchor-batched-proof/1}, docs/verification.md
 * section 4.2); the proof document's {@code format} decides which verifier runs.
 * Never throws for what a server answers; every answer becomes a {@link VersionCheck}.
 */
public final class Verifier {

    /** {@code Type/id} or {@code Type/id/_history/vid}, with the grammar of docs/verification.md section 2. */
    private static final Pattern REQUESTED_REF =
            Pattern.compile("([A-Z][A-Za-z0-9]{0,63})/([A-Za-z0-9\\-.]{1,64})(?:/_history/([1-9][0-9]{0,18}))?");

    private final CheckpointSource checkpoints;

    public Verifier(CheckpointSource checkpoints) {
        this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
    }

    /** docs/verification.md section 5 for one version; {@code resourceJsonOrNull} is null for a delete. */
    public VerificationResult verify(byte[] resourceJsonOrNull, AnchorProof proof) {
        return ProofVerifier.verify(resourceJsonOrNull, proof, checkpoints);
    }

    /** docs/verification.md section 4.2 for one batch member; {@code resourceJsonOrNull} is null for a delete. */
    public VerificationResult verify(byte[] resourceJsonOrNull, BatchedProof proof) {
        return BatchedProofVerifier.verify(resourceJsonOrNull, proof, checkpoints);
    }

    /**
     * Same, from the proof's bytes: a {@code fhir-anchor-batched-proof/1} (by its {@code format}) is verified as a
     * batch member, anything else as a {@code fhir-anchor-proof/1}; a malformed proof is a MALFORMED_PROOF result.
     */
    public VerificationResult verify(byte[] resourceJsonOrNull, byte[] proofJson) {
        if (BatchedProof.FORMAT.equals(BatchedProofJson.formatOf(proofJson))) {
            return BatchedProofVerifier.verify(resourceJsonOrNull, proofJson, checkpoints);
        }
        return ProofVerifier.verify(resourceJsonOrNull, proofJson, checkpoints);
    }

    /**
     * Fetches the proof of {@code requestedRef} ({@code Type/id} for the version the server calls current,
     * or {@code Type/id/_history/vid}) from {@code $verify}, reads that version exactly as served, and
     * verifies it. The proof must be about the resource (and version) asked for: a server must not answer
     * a question about version 2 with the good proof of version 1.
     */
    public VersionCheck check(FhirSource fhir, String requestedRef) {
        Matcher m = REQUESTED_REF.matcher(requestedRef);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Type/id or Type/id/_history/vid reference: " + requestedRef);
        }
        ProofOrVerdict answer = proofFor(fhir, requestedRef);
        if (answer.verdict() != null) {
            return answer.verdict();
        }
        Proven proof = answer.proof();
        ResourceRef proven = proof.resource();
        if (!proven.type().equals(m.group(1))
                || !proven.id().equals(m.group(2))
                || (m.group(3) != null && !proven.versionId().equals(m.group(3)))) {
            return proof.check(
                    requestedRef,
                    Outcome.FAILED,
                    VersionCheck.WRONG_VERSION,
                    "asked for " + requestedRef + ", the server's proof is for " + proven);
        }
        return checkServed(fhir, proven, proof, "");
    }

    /**
     * Fetches one proof for many versions ({@code POST [base]/$verify}, docs/verification.md section 4.1),
     * reads each proven version exactly as served, and verifies them all against one anchored root. Every
     * version asked for gets a verdict, in the order asked: verified; pending or tampered as the server
     * reports it; failed if the answer leaves it out or proves another version. A version the server reports
     * {@code batched} (a batch member, which a multi-version proof does not cover) is checked with its own
     * {@code $verify}, as {@link #check} does. A version named without
     * {@code _history} is matched with the version of that resource the server proves.
     */
    public WalkReport checkMany(FhirSource fhir, List<String> requestedRefs) {
        for (String ref : requestedRefs) {
            if (!REQUESTED_REF.matcher(ref).matches()) {
                throw new IllegalArgumentException("not a Type/id or Type/id/_history/vid reference: " + ref);
            }
        }
        VerifyManyAnswer answer;
        try {
            answer = VerifyManyAnswer.parse(fhir.verifyManyAnswer(requestedRefs));
        } catch (FhirSourceException e) {
            return new WalkReport(
                    requestedRefs.stream().map(ref -> fhirError(ref, e, null)).toList());
        } catch (RuntimeException e) {
            return new WalkReport(requestedRefs.stream()
                    .map(ref -> new VersionCheck(
                            ref,
                            Outcome.FAILED,
                            VersionCheck.NO_PROOF,
                            "the $verify answer is unusable: " + e.getMessage(),
                            Optional.empty()))
                    .toList());
        }
        java.util.Map<String, MultiProof.Version> proven = new java.util.LinkedHashMap<>();
        answer.proof()
                .ifPresent(p ->
                        p.versions().forEach(v -> proven.put(v.leaf().resource().toString(), v)));
        java.util.Map<String, VerificationResult> verdicts = new java.util.HashMap<>();
        if (answer.proof().isPresent()) {
            java.util.Map<ResourceRef, byte[]> served = new java.util.HashMap<>();
            for (MultiProof.Version version : answer.proof().get().versions()) {
                if (version.leaf().operation() == org.fhiranchor.anchor.log.Operation.DELETE) {
                    continue;
                }
                try {
                    fhir.readVersion(version.leaf().resource())
                            .ifPresent(bytes -> served.put(version.leaf().resource(), bytes));
                } catch (FhirSourceException e) {
                    verdicts.put(
                            version.leaf().resource().toString(),
                            new VerificationResult(
                                    e.transientFailure() ? Status.CHECKPOINT_UNAVAILABLE : Status.RESOURCE_UNREADABLE,
                                    e.getMessage()));
                }
            }
            MultiProofVerifier.Result result =
                    MultiProofVerifier.verify(answer.proof().get(), served::get, checkpoints);
            result.versions().forEach(v -> verdicts.putIfAbsent(v.resource().toString(), v.result()));
        }
        List<VersionCheck> checks = new ArrayList<>();
        for (String requested : requestedRefs) {
            // Type/id asks for the current version: the latest one the answer names for that resource (a version
            // asked for explicitly in the same call is never later than the current one).
            Optional<String> version = requested.contains("/_history/")
                    ? Optional.of(requested)
                    : java.util.stream.Stream.concat(
                                    answer.statusByVersion().keySet().stream(), proven.keySet().stream())
                            .filter(ref -> ref.startsWith(requested + "/_history/"))
                            .max(java.util.Comparator.comparingLong(
                                    ref -> Long.parseLong(ref.substring(ref.lastIndexOf('/') + 1))));
            if (version.isEmpty()) {
                checks.add(new VersionCheck(
                        requested,
                        Outcome.FAILED,
                        VersionCheck.WRONG_VERSION,
                        "the server's answer does not name " + requested,
                        Optional.empty()));
                continue;
            }
            String ref = version.get();
            VerificationResult verdict = verdicts.get(ref);
            if (verdict != null) {
                Outcome outcome = switch (verdict.status()) {
                    case VERIFIED -> Outcome.VERIFIED;
                    case CHECKPOINT_UNAVAILABLE -> Outcome.UNAVAILABLE;
                    default -> Outcome.FAILED;
                };
                checks.add(new VersionCheck(ref, outcome, verdict.status().name(), verdict.detail(), Optional.empty()));
                continue;
            }
            String status = answer.statusByVersion().getOrDefault(ref, "");
            checks.add(
                    switch (status) {
                        // A batch member is not a leaf: the multi-version proof leaves it out, its own $verify proves
                        // it
                        // (docs/verification.md section 4.2).
                        case "batched" -> check(fhir, ref);
                        case "pending" ->
                            new VersionCheck(
                                    ref,
                                    Outcome.PENDING,
                                    VersionCheck.PENDING,
                                    "the server reports it logged but not anchored yet; ask again later",
                                    Optional.empty());
                        case "tampered" ->
                            new VersionCheck(
                                    ref,
                                    Outcome.FAILED,
                                    VersionCheck.SERVER_REPORTS_TAMPERED,
                                    "the server reports that its stored content no longer matches the hash logged at write time",
                                    Optional.empty());
                        default ->
                            new VersionCheck(
                                    ref,
                                    Outcome.FAILED,
                                    VersionCheck.NO_PROOF,
                                    "the server reports status '" + status
                                            + "' but its proof does not cover this version",
                                    Optional.empty());
                    });
        }
        return new WalkReport(checks);
    }

    /**
     * Checks every version the server's history lists (system level, or one type), at most {@code max}
     * of them (0: no limit). One failure never stops the walk; {@code progress} sees each verdict.
     * Paging failures end the walk and are reported as one UNAVAILABLE/FAILED entry.
     */
    public WalkReport walk(FhirSource fhir, String typeOrNull, long max, Consumer<VersionCheck> progress) {
        List<VersionCheck> checks = new ArrayList<>();
        try {
            fhir.history(typeOrNull, entry -> {
                VersionCheck check = checkHistoryEntry(fhir, entry);
                checks.add(check);
                progress.accept(check);
                return max <= 0 || checks.size() < max;
            });
        } catch (FhirSourceException e) {
            VersionCheck check = new VersionCheck(
                    (typeOrNull == null ? "" : typeOrNull + "/") + "_history",
                    e.transientFailure() ? Outcome.UNAVAILABLE : Outcome.FAILED,
                    VersionCheck.FHIR_ERROR,
                    "the history could not be read to the end: " + e.getMessage(),
                    Optional.empty());
            checks.add(check);
            progress.accept(check);
        }
        return new WalkReport(checks);
    }

    private VersionCheck checkHistoryEntry(FhirSource fhir, HistoryEntry entry) {
        if (entry.ref().isEmpty()) {
            return new VersionCheck(
                    entry.label(),
                    Outcome.FAILED,
                    VersionCheck.UNIDENTIFIED_ENTRY,
                    "the history entry does not say which version it is",
                    Optional.empty());
        }
        ResourceRef ref = entry.ref().get();
        ProofOrVerdict answer = proofFor(fhir, ref.toString());
        if (answer.verdict() != null) {
            return answer.verdict();
        }
        Proven proof = answer.proof();
        if (!proof.resource().equals(ref)) {
            return proof.check(
                    ref.toString(),
                    Outcome.FAILED,
                    VersionCheck.WRONG_VERSION,
                    "the server's proof for " + ref + " is for " + proof.resource());
        }
        if (entry.isDelete()) {
            return toCheck(ref.toString(), verify(null, proof), proof, "");
        }
        if (entry.resource().isPresent()) {
            // Canonical JSON makes the Bundle's formatting irrelevant, so the embedded copy usually hashes
            // right. If it does not, the version as served on its own URL is the authority (section 1.1).
            VerificationResult fromBundle =
                    verify(CanonicalJson.serialize(entry.resource().get()), proof);
            if (fromBundle.status() != Status.CONTENT_HASH_MISMATCH
                    && fromBundle.status() != Status.RESOURCE_UNREADABLE) {
                return toCheck(ref.toString(), fromBundle, proof, "");
            }
        }
        return checkServed(fhir, ref, proof, " (version re-read from its own URL)");
    }

    /**
     * Reads {@code ref} exactly as the FHIR server serves it and verifies it against its proof; a server that
     * cannot be read makes a {@link #fhirError} check. {@code note} is added to the check's detail.
     */
    private VersionCheck checkServed(FhirSource fhir, ResourceRef ref, Proven proof, String note) {
        byte[] served;
        try {
            served = fhir.readVersion(ref).orElse(null);
        } catch (FhirSourceException e) {
            return fhirError(ref.toString(), e, proof);
        }
        return toCheck(ref.toString(), verify(served, proof), proof, note);
    }

    /**
     * The proof {@code $verify} gave for one version: a log leaf's, or a batch member's (then {@code anchor} is its
     * batch record's proof and {@code batchedOrNull} the member's).
     */
    private record Proven(AnchorProof anchor, BatchedProof batchedOrNull) {
        static Proven of(VerifyParameters answer) {
            return new Proven(answer.proof(), answer.batched().orElse(null));
        }

        ResourceRef resource() {
            return batchedOrNull != null
                    ? batchedOrNull.leaf().resource()
                    : anchor.leaf().resource();
        }

        VersionCheck check(String ref, Outcome outcome, String code, String detail) {
            return new VersionCheck(
                    ref, outcome, code, detail, Optional.ofNullable(anchor), Optional.ofNullable(batchedOrNull));
        }
    }

    private VerificationResult verify(byte[] resourceJsonOrNull, Proven proof) {
        return proof.batchedOrNull() != null
                ? verify(resourceJsonOrNull, proof.batchedOrNull())
                : verify(resourceJsonOrNull, proof.anchor());
    }

    /** Exactly one of the two: the proof {@code $verify} gave, or the verdict that explains why there is none. */
    private record ProofOrVerdict(Proven proof, VersionCheck verdict) {
        static ProofOrVerdict of(Proven proof) {
            return new ProofOrVerdict(proof, null);
        }

        static ProofOrVerdict of(VersionCheck verdict) {
            return new ProofOrVerdict(null, verdict);
        }
    }

    private static ProofOrVerdict proofFor(FhirSource fhir, String ref) {
        byte[] answer;
        try {
            answer = fhir.verifyAnswer(ref);
        } catch (FhirSourceException e) {
            return ProofOrVerdict.of(fhirError(ref, e, null));
        }
        try {
            return ProofOrVerdict.of(Proven.of(VerifyParameters.parse(answer)));
        } catch (NoProofException e) {
            String status = e.serverStatus().orElse("");
            if (status.equals("pending")) {
                return ProofOrVerdict.of(
                        new VersionCheck(ref, Outcome.PENDING, VersionCheck.PENDING, e.getMessage(), Optional.empty()));
            }
            return ProofOrVerdict.of(new VersionCheck(
                    ref,
                    Outcome.FAILED,
                    status.equals("tampered") ? VersionCheck.SERVER_REPORTS_TAMPERED : VersionCheck.NO_PROOF,
                    e.getMessage(),
                    Optional.empty()));
        }
    }

    private static VersionCheck fhirError(String ref, FhirSourceException e, Proven proofOrNull) {
        Outcome outcome = e.transientFailure() ? Outcome.UNAVAILABLE : Outcome.FAILED;
        return proofOrNull == null
                ? new VersionCheck(ref, outcome, VersionCheck.FHIR_ERROR, e.getMessage(), Optional.empty())
                : proofOrNull.check(ref, outcome, VersionCheck.FHIR_ERROR, e.getMessage());
    }

    private static VersionCheck toCheck(String ref, VerificationResult result, Proven proof, String note) {
        Outcome outcome = switch (result.status()) {
            case VERIFIED -> Outcome.VERIFIED;
            case CHECKPOINT_UNAVAILABLE -> Outcome.UNAVAILABLE;
            default -> Outcome.FAILED;
        };
        return proof.check(ref, outcome, result.status().name(), result.detail() + note);
    }
}
