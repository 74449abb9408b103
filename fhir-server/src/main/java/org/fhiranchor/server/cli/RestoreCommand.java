package org.fhiranchor.server.cli;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
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
import org.fhiranchor.server.command.ParsedCommand;
import org.fhiranchor.server.log.VersionHasher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code restore --rpc URL --contract 0x.. --ipfs <embedded store dir | Kubo API URL> --archive-key-file F
 * [--archive-key-file G ...] --fhir-base URL [--token T]}: rebuilds a fresh server's data from the chain, the archive
 * store and the archive key(s) alone, proving every version against the anchored roots before writing it
 * (docs/archive.md section 6). Exits 0 when everything archived was proven and restored, 1 on any mismatch,
 * missing or undecryptable archive, 2 on usage errors.
 */
@Command(
        name = "restore",
        description =
                "Rebuild a fresh server's data from the chain, the archive store and the archive "
                        + "key(s) alone, proving every version against the anchored roots before writing it. Exit 0 when everything "
                        + "archived was proven and restored, 1 on any mismatch, missing or undecryptable archive, 2 on usage errors.")
public final class RestoreCommand extends ParsedCommand {

    @Option(names = "--rpc", required = true, paramLabel = "URL", description = "JSON-RPC endpoint of the chain")
    private String rpc;

    @Option(names = "--contract", required = true, paramLabel = "0xADDRESS", description = "the FhirAnchor contract")
    private String contract;

    @Option(
            names = "--ipfs",
            required = true,
            paramLabel = "DIR|URL",
            description = "the embedded archive store's directory, or a Kubo API URL (http://kubo:5001)")
    private String ipfs;

    @Option(
            names = "--archive-key-file",
            required = true,
            paramLabel = "FILE",
            description = "an archive key (archive-<keyid>.key); repeat it for older keys")
    private List<Path> keyFiles;

    @Option(
            names = "--fhir-base",
            required = true,
            paramLabel = "URL",
            description = "the fresh server's FHIR base URL")
    private String fhirBase;

    @Mixin
    private BearerTokenOption token;

    public RestoreCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    protected int runParsed() {
        try {
            FhirContext fhirContext = FhirContext.forR4();
            ArchiveStore store = ipfs.startsWith("http://") || ipfs.startsWith("https://")
                    ? new KuboArchiveStore(URI.create(ipfs), Duration.ofSeconds(60))
                    : new EmbeddedArchiveStore(Path.of(ipfs));
            ArchiveRestorer restorer = new ArchiveRestorer(
                    store,
                    new EnvelopeCipher(ArchiveKeys.fromFiles(keyFiles)),
                    new ArchiveBundleCodec(fhirContext),
                    new VersionHasher(fhirContext),
                    new FhirRestReplayer(token.connect(fhirContext, fhirBase)),
                    err);
            ChainArchiveIndex index;
            try (Web3jLedger ledger = Web3jLedger.readOnly(LedgerSettings.forUrl(rpc), contract)) {
                index = ChainArchiveIndex.read(ledger, rpc);
            }
            out.printf(
                    "chain: %d checkpoint(s) up to tree size %d, %d archive(s)%n",
                    index.checkpointRoots().size(),
                    index.latestCheckpointSize(),
                    index.archives().size());
            ArchiveRestorer.Summary summary = restorer.restore(index);
            out.printf(
                    "restored %d version(s) and %d audit batch member(s) from %d archive(s) (%d envelope bytes); proved "
                            + "%d checkpoint(s) against the chain; %.1f s%n",
                    summary.versionsRestored(),
                    summary.membersRestored(),
                    summary.archivesRead(),
                    summary.envelopeBytes(),
                    summary.checkpointsProven(),
                    summary.elapsed().toMillis() / 1000.0);
            if (summary.unprovenLeaves() > 0) {
                out.printf(
                        "NOT RESTORED: %d archived leaves beyond the last checkpoint they reach (not provable yet)%n",
                        summary.unprovenLeaves());
            }
            if (summary.leavesAnchoredNotArchived() > 0) {
                out.printf(
                        "NOT ARCHIVED: %d anchored leaves have no archive on chain yet%n",
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
