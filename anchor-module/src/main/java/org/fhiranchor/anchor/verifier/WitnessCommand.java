package org.fhiranchor.anchor.verifier;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.fhiranchor.anchor.files.OwnerOnlyFiles;
import org.fhiranchor.anchor.tlog.NoteFormatException;
import org.fhiranchor.anchor.tlog.NoteSigner;
import org.fhiranchor.anchor.tlog.NoteVerifier;
import org.fhiranchor.anchor.tlog.Witness;
import org.fhiranchor.anchor.tlog.WitnessServer;
import picocli.CommandLine;

/**
 * {@code witness --name NAME --key-file FILE --state FILE --log VKEY[,VKEY...] [--listen HOST:PORT]}: a small
 * tlog-witness, so that a partner hospital can witness another's log. The key file holds the witness's Ed25519
 * key (64 hex digits), created owner-only on first start; the state file its latest cosigned size and root per
 * log. It listens on loopback unless told otherwise, prints its URL and cosignature key, and runs until stopped.
 */
final class WitnessCommand {

    private WitnessCommand() {}

    /** Starts the witness; the caller stops it. Throws IllegalArgumentException for bad arguments. */
    static WitnessServer start(String[] args, PrintStream out) throws IOException {
        CommandLine.ParseResult parsed;
        try {
            parsed = VerifierCommands.commandLine().parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(VerifierCommands.message(e), e);
        }
        if (parsed.subcommand() == null
                || !parsed.subcommand().commandSpec().name().equals("witness")) {
            throw new IllegalArgumentException("not a witness command line");
        }
        return start(VerifierCommands.options(parsed.subcommand()), out);
    }

    /** Starts the witness from options already parsed by {@link VerifierCommands}, by long option name. */
    static WitnessServer start(Map<String, String> options, PrintStream out) throws IOException {
        for (String required : List.of("--name", "--key-file", "--state", "--log")) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException(required + " is required");
            }
        }
        List<NoteVerifier> logs = new ArrayList<>();
        for (String key : options.get("--log").split(",")) {
            try {
                NoteVerifier log = NoteVerifier.parse(key);
                if (log.isCosignatureKey()) {
                    throw new IllegalArgumentException("--log takes a log's note key (type 0x01), not a witness key");
                }
                logs.add(log);
            } catch (NoteFormatException e) {
                throw new IllegalArgumentException("--log: " + e.getMessage());
            }
        }
        NoteSigner key =
                NoteSigner.fromSeed(options.get("--name"), loadOrCreateSeed(Path.of(options.get("--key-file"))));
        String listen = options.getOrDefault("--listen", "127.0.0.1:0");
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--listen is HOST:PORT");
        }
        Witness witness = new Witness(key, logs, Path.of(options.get("--state")), Clock.systemUTC());
        WitnessServer server = WitnessServer.start(
                new InetSocketAddress(listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1))),
                witness);
        out.println("witness " + key.name() + " listening on " + server.url() + " for " + logs.size() + " log(s)");
        out.println("cosignature key: " + witness.verifierKey());
        return server;
    }

    private static byte[] loadOrCreateSeed(Path file) throws IOException {
        if (!Files.exists(file)) {
            // If another start created it meanwhile, its key is the one read below.
            OwnerOnlyFiles.createIfAbsent(
                    file,
                    (HexFormat.of().formatHex(NoteSigner.generateSeed()) + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        String hex = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (!hex.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("the key file " + file + " must hold 64 hex digits");
        }
        return HexFormat.of().parseHex(hex);
    }
}
