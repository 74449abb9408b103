package org.fhiranchor.server.cli;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fhiranchor.anchor.chain.LedgerSettings;
import org.fhiranchor.anchor.chain.Web3jLedger;
import org.fhiranchor.ipfs.crypto.EnvelopeCipher;
import org.fhiranchor.server.archive.ArchiveBundleCodec;
import org.fhiranchor.server.archive.ArchiveKeys;
import org.fhiranchor.server.archive.ArchiveRestorer;
import org.fhiranchor.server.archive.ArchiveStore;
import org.fhiranchor.server.archive.ChainArchiveIndex;
import org.fhiranchor.server.archive.EmbeddedArchiveStore;
import org.fhiranchor.server.archive.FhirRestReplayer;
import org.fhiranchor.server.archive.KuboArchiveStore;
import org.fhiranchor.server.archive.RestoreException;
import org.fhiranchor.server.log.VersionHasher;

/**
 * {@code restore --rpc URL --contract 0x.. --ipfs <embedded store dir | Kubo API URL> --archive-key-file F
 * [--archive-key-file G ...] --fhir-base URL [--token T]}: rebuilds a fresh server's data from the chain, the archive
 * store and the archive key(s) alone, proving every version against the anchored roots before writing it
 * (docs/archive.md section 6). Exits 0 when everything archived was proven and restored, 1 on any mismatch,
 * missing or undecryptable archive, 2 on usage errors.
 */
public final class RestoreCommand {

    private final PrintStream out;
    private final PrintStream err;

    public RestoreCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public int run(List<String> args) {
        String rpc = SweepCommand.option(args, "--rpc", null);
        String contract = SweepCommand.option(args, "--contract", null);
        String ipfs = SweepCommand.option(args, "--ipfs", null);
        String fhirBase = SweepCommand.option(args, "--fhir-base", null);
        String token = SweepCommand.option(args, "--token", System.getenv("FHIR_ANCHOR_TOKEN"));
        List<Path> keyFiles = new ArrayList<>();
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).equals("--archive-key-file")) {
                keyFiles.add(Path.of(args.get(i + 1)));
            }
        }
        if (rpc == null || contract == null || ipfs == null || fhirBase == null || keyFiles.isEmpty()) {
            err.println("usage: restore --rpc URL --contract 0x.. --ipfs <store dir | http://kubo:5001> "
                    + "--archive-key-file archive-<keyid>.key [...] --fhir-base URL [--token T]");
            return 2;
        }
        try {
            FhirContext fhirContext = FhirContext.forR4();
            ArchiveStore store = ipfs.startsWith("http://") || ipfs.startsWith("https://")
                    ? new KuboArchiveStore(URI.create(ipfs), Duration.ofSeconds(60))
                    : new EmbeddedArchiveStore(Path.of(ipfs));
            ArchiveRestorer restorer = new ArchiveRestorer(store, new EnvelopeCipher(ArchiveKeys.fromFiles(keyFiles)),
                    new ArchiveBundleCodec(fhirContext), new VersionHasher(fhirContext),
                    new FhirRestReplayer(fhirBase, token, fhirContext), err);
            ChainArchiveIndex index;
            try (Web3jLedger ledger = Web3jLedger.readOnly(LedgerSettings.forUrl(rpc), contract)) {
                index = ChainArchiveIndex.read(ledger, rpc);
            }
            out.printf("chain: %d checkpoint(s) up to tree size %d, %d archive(s)%n", index.checkpointRoots().size(),
                    index.latestCheckpointSize(), index.archives().size());
            ArchiveRestorer.Summary summary = restorer.restore(index);
            out.printf("restored %d version(s) and %d audit batch member(s) from %d archive(s) (%d envelope bytes); proved "
                            + "%d checkpoint(s) against the chain; %.1f s%n", summary.versionsRestored(),
                    summary.membersRestored(), summary.archivesRead(),
                    summary.envelopeBytes(), summary.checkpointsProven(), summary.elapsed().toMillis() / 1000.0);
            if (summary.unprovenLeaves() > 0) {
                out.printf("NOT RESTORED: %d archived leaves beyond the last checkpoint they reach (not provable yet)%n",
                        summary.unprovenLeaves());
            }
            if (summary.leavesAnchoredNotArchived() > 0) {
                out.printf("NOT ARCHIVED: %d anchored leaves have no archive on chain yet%n",
                        summary.leavesAnchoredNotArchived());
            }
            return 0;
        } catch (RestoreException e) {
            err.println();
            err.println("RESTORE FAILED: " + e.getMessage());
            return 1;
        } catch (IOException | RuntimeException e) {
            err.println();
            err.println("restore failed: " + e);
            return 2;
        }
    }
}
