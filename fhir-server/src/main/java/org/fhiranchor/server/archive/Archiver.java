package org.fhiranchor.server.archive;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.fhiranchor.anchor.chain.AnchorReceipt;
import org.fhiranchor.anchor.chain.ArchiveRef;
import org.fhiranchor.anchor.chain.Ledger;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.ipfs.cid.Cid;
import org.fhiranchor.ipfs.crypto.EnvelopeCipher;
import org.fhiranchor.ipfs.crypto.KeyRing;
import org.fhiranchor.ipfs.unixfs.ChunkedBytes;
import org.fhiranchor.server.anchoring.Checkpoint;
import org.fhiranchor.server.anchoring.CheckpointRepository;
import org.fhiranchor.server.jobs.JobLock;
import org.fhiranchor.server.log.BatchMember;
import org.fhiranchor.server.log.BatchMembers;
import org.fhiranchor.server.log.LogEntry;
import org.fhiranchor.server.log.LogRepository;
import org.fhiranchor.server.log.VersionHasher;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Archives the anchored log, range by range, in leaf order: for the first anchored leaves not archived yet (up to
 * the next anchored checkpoint, at most {@code maxLeavesPerBundle}) it builds the Bundle, seals it under the current
 * archive key, stores and pins it, and records the CID in {@code anchor_archive}, all while holding the archive job
 * lock; then it commits each recorded CID on chain with {@code recordArchive}.
 *
 * <p>Crash safety: a range is in the table only once its envelope is stored, so a crash before the insert leaves an
 * unreferenced (encrypted) object and the range is archived again with a new CID; a crash after the insert leaves a
 * STORED row that the next run sends. A crash between the chain accepting the event and the row being marked
 * RECORDED sends the event twice; restore de-duplicates by range and CID.
 */
public final class Archiver {

    private static final Logger log = LoggerFactory.getLogger(Archiver.class);

    private final LogRepository logRepository;
    private final CheckpointRepository checkpoints;
    private final ArchiveRepository archives;
    private final JobLock lock;
    private final Supplier<Ledger> ledger;
    private final VersionSource versions;
    private final VersionHasher hasher;
    private final ArchiveBundleCodec codec;
    private final KeyRing keys;
    private final ArchiveStore store;
    private BatchMembers batchMembers;
    private final int maxLeavesPerBundle;
    private final ArchiveStatus status;
    private final Clock clock;
    private Counter bytesArchived;
    private Counter bundlesArchived;
    private Pacing pacing = Pacing.FULL_SPEED;

    /**
     * How much of its time the archiver may work while clients write. It re-reads, re-hashes, encodes and
     * encrypts every version: on a small machine that competes with the writes themselves. While writes are
     * going on ({@code busy}), after each bundle it pauses so that it works at most {@code dutyCycle} of the
     * time (0: it does not start a bundle at all); when the backlog reaches {@code maxBacklog} leaves, or writes
     * stop, it works at full speed again.
     * Pausing only delays archives: the archived prefix lives in the database, nothing is lost.
     */
    public record Pacing(java.util.function.BooleanSupplier busy, double dutyCycle, long maxBacklog) {
        public static final Pacing FULL_SPEED = new Pacing(() -> false, 1.0, 0);

        public Pacing {
            if (!(dutyCycle >= 0 && dutyCycle <= 1)) {
                throw new IllegalArgumentException("duty cycle must be in [0, 1]");
            }
        }
    }

    public Archiver(
            LogRepository logRepository,
            CheckpointRepository checkpoints,
            ArchiveRepository archives,
            JdbcTemplate jdbc,
            TransactionTemplate transactions,
            Supplier<Ledger> ledger,
            VersionSource versions,
            VersionHasher hasher,
            ArchiveBundleCodec codec,
            KeyRing keys,
            ArchiveStore store,
            int maxLeavesPerBundle,
            ArchiveStatus status,
            Clock clock) {
        this.logRepository = logRepository;
        this.checkpoints = checkpoints;
        this.archives = archives;
        this.lock = new JobLock(JobLock.ARCHIVE, jdbc, transactions);
        this.ledger = ledger;
        this.versions = versions;
        this.hasher = hasher;
        this.codec = codec;
        this.keys = keys;
        this.store = store;
        this.maxLeavesPerBundle = maxLeavesPerBundle;
        this.status = status;
        this.clock = clock;
    }

    /** Archives, with each batch record, the members it commits to (docs/archive.md). */
    public Archiver withBatchMembers(BatchMembers members) {
        this.batchMembers = members;
        return this;
    }

    /** Registers the archive meters (backlog gauge, bytes and bundles counters). */
    public Archiver withMetrics(MeterRegistry registry) {
        Gauge.builder("fhir_anchor.archive.backlog", status, s -> s.snapshot().backlog())
                .description("Anchored log leaves not archived yet")
                .register(registry);
        bytesArchived = Counter.builder("fhir_anchor.archive.bytes")
                .description("Envelope bytes stored")
                .register(registry);
        bundlesArchived = Counter.builder("fhir_anchor.archive.bundles")
                .description("Archive bundles stored")
                .register(registry);
        return this;
    }

    /** Paces the archiver while clients write (see {@link Pacing}). */
    public Archiver withPacing(Pacing pacing) {
        this.pacing = java.util.Objects.requireNonNull(pacing);
        return this;
    }

    /** One pass: archive everything anchored, then put every stored CID on chain. Never throws. */
    public void run() {
        try {
            // one range at a time: the lock is held only for one bundle
            while (!deferredForWriters()) {
                long started = System.nanoTime();
                if (!archiveNextRange()) {
                    break;
                }
                if (!pause(System.nanoTime() - started)) {
                    return; // shutting down
                }
            }
            recordOnChain();
            status.succeeded();
        } catch (RuntimeException e) {
            // The message names the failing step and store, never resource content or key material.
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            status.failed(error.length() > 500 ? error.substring(0, 500) : error, clock.instant());
            log.warn("Archiving paused, retrying at the next run: {}", error);
        }
    }

    /** Duty cycle 0: no archiving while clients write, unless the backlog reached its maximum. */
    private boolean deferredForWriters() {
        return pacing.dutyCycle() == 0 && mustYield();
    }

    private boolean mustYield() {
        if (pacing.dutyCycle() >= 1 || !pacing.busy().getAsBoolean()) {
            return false;
        }
        long anchored = checkpoints.latestAnchored().map(Checkpoint::treeSize).orElse(0L);
        return anchored - archives.archivedSize() < pacing.maxBacklog();
    }

    /** After a bundle that took {@code workedNanos}; false if interrupted (the server stops). */
    private boolean pause(long workedNanos) {
        if (pacing.dutyCycle() == 0 || !mustYield()) {
            return true;
        }
        long pauseMillis = Math.min(30_000, (long) (workedNanos / 1e6 * (1 - pacing.dutyCycle()) / pacing.dutyCycle()));
        try {
            Thread.sleep(pauseMillis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Archives the next range; false when nothing anchored is left unarchived. */
    private boolean archiveNextRange() {
        // The versions are read before the lock transaction: HAPI's DAO runs its own JPA transaction, which cannot
        // join a plain JDBC one. Under the lock the range is re-checked, so two replicas never archive it twice.
        long from = archives.archivedSize();
        Optional<Checkpoint> covering = checkpoints.firstAnchoredCovering(from);
        if (covering.isEmpty()) {
            return false;
        }
        long to = Math.min(covering.get().treeSize(), from + maxLeavesPerBundle);
        List<LogEntry> entries = logRepository.sequencedFrom(from, (int) (to - from));
        if (entries.size() != to - from) {
            throw new IllegalStateException("log leaves " + from + ".." + to + " are incomplete: " + entries.size());
        }
        List<ArchivedVersion> range = new ArrayList<>(entries.size());
        List<ArchivedMember> members = new ArrayList<>();
        for (LogEntry entry : entries) {
            range.add(archivedVersion(entry));
            members.addAll(membersOf(entry));
        }
        lock.run(() -> {
            if (archives.archivedSize() == from) { // else another replica archived it meanwhile: look again
                storeAndRecord(from, to, range, members);
            }
        });
        return true;
    }

    private void storeAndRecord(long from, long to, List<ArchivedVersion> range, List<ArchivedMember> members) {
        Instant archivedAt = clock.instant();
        // Encoded, encrypted and kept in chunks as it goes: an archive is several megabytes, and as one array
        // (plaintext string, bytes, envelope) it was several humongous G1 allocations per archive.
        ChunkedBytes envelope = new ChunkedBytes();
        try (OutputStream sealing = new EnvelopeCipher(keys).sealing(envelope)) {
            codec.encodeTo(sealing, from, to, range, members, Date.from(archivedAt));
        } catch (IOException e) {
            throw new UncheckedIOException("encoding archive " + from + ".." + to + " failed: " + e, e);
        }
        Cid cid;
        try {
            cid = store.put(envelope);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "storing archive " + from + ".." + to + " in " + store.describe() + " failed: " + e, e);
        }
        archives.insertStored(from, to, cid.toString(), envelope.size(), keys.currentKeyId(), archivedAt);
        if (bytesArchived != null) {
            bytesArchived.increment(envelope.size());
            bundlesArchived.increment();
        }
        log.info("Archived leaves {}..{} ({} bytes) as {}", from, to, envelope.size(), cid);
    }

    /** The batch members a batch record's version commits to (none for any other version), as served and re-hashed. */
    private List<ArchivedMember> membersOf(LogEntry entry) {
        if (batchMembers == null
                || !"Basic".equals(entry.leaf().ref().type())
                || entry.leaf().operation() == Operation.DELETE) {
            return List.of();
        }
        List<ArchivedMember> archived = new ArrayList<>();
        for (BatchMember member : batchMembers.membersOf(entry.leaf().ref())) {
            Resource resource = versions.read(member.leaf().ref());
            if (!Arrays.equals(hasher.contentHash(resource), member.leaf().contentHash())) {
                throw new IllegalStateException(
                        "batch member " + member.leaf().ref()
                                + " does not hash to its member content hash; not archived (run the audit sweep with members=true)");
            }
            archived.add(new ArchivedMember(entry.leaf().ref(), member.batchIndex(), member.leaf(), resource));
        }
        return archived;
    }

    /**
     * The version as served. Its hash must equal the logged one: archiving a version that was changed behind HAPI's
     * back would make the archive disagree with the anchored log, so that is an error, not an archive.
     */
    private ArchivedVersion archivedVersion(LogEntry entry) {
        if (entry.leaf().operation() == Operation.DELETE) {
            return new ArchivedVersion(entry.leafIndex(), entry.leaf(), null);
        }
        Resource resource = versions.read(entry.leaf().ref());
        if (!Arrays.equals(hasher.contentHash(resource), entry.leaf().contentHash())) {
            throw new IllegalStateException("stored version at leaf " + entry.leafIndex()
                    + " does not hash to its logged content hash; not archived (run the audit sweep)");
        }
        return new ArchivedVersion(entry.leafIndex(), entry.leaf(), resource);
    }

    /**
     * Outside any database transaction (a send can wait for a receipt): each archive is marked in its
     * own statement once recorded. Archived is an event only; two replicas recording the same archive
     * at once repeat the event, which readers dedupe.
     */
    private void recordOnChain() {
        for (ArchiveRecord record : archives.stored()) {
            Ledger connected = ledger.get();
            AnchorReceipt receipt = connected.recordArchive(new ArchiveRef(
                    record.fromSize(), record.toSize(), Cid.parse(record.cid()).bytes()));
            archives.markRecorded(record.fromSize(), receipt.txHash(), receipt.blockNumber(), clock.instant());
            log.info(
                    "Recorded archive {}..{} on chain in block {}",
                    record.fromSize(),
                    record.toSize(),
                    receipt.blockNumber());
        }
    }
}
