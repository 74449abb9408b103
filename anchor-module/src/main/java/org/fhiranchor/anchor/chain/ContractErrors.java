package org.fhiranchor.anchor.chain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.web3j.crypto.Hash;

/**
 * Decodes the contract's custom errors from revert data into readable names, e.g.
 * {@code TreeSizeNotIncreasing(3, 5)}. All their arguments are static 32-byte words.
 */
final class ContractErrors {
    private static final List<String> SIGNATURES = List.of(
            "NotOwner(address)",
            "NotWriter(address)",
            "ZeroAddress()",
            "TreeSizeNotIncreasing(uint64,uint64)",
            "InvalidArchiveRange(uint64,uint64,uint64)",
            "EmptyArchiveCid()",
            "CheckpointIndexOutOfRange(uint256,uint256)",
            "LeafIndexNotIncreasing(uint64,uint64)",
            "ConsentVersionNotIncreasing(bytes32,uint64,uint64)",
            "InvalidConsentPeriod(uint64,uint64)");

    /** 4-byte selector (0x + 8 hex digits) to signature. */
    private static final Map<String, String> BY_SELECTOR = SIGNATURES.stream()
            .collect(java.util.stream.Collectors.toUnmodifiableMap(ContractErrors::selector, s -> s));

    private ContractErrors() {}

    static String selector(String signature) {
        return Hash.sha3String(signature).substring(0, 10);
    }

    /** A decoded revert: the error name and a readable rendering with its arguments. */
    record Decoded(String name, String text) {}

    /**
     * The revert data of a JSON-RPC error: web3j hands it over as the raw JSON value, i.e. a hex
     * string still in quotes, or null.
     */
    static String revertData(String errorData) {
        if (errorData == null) {
            return null;
        }
        String data = errorData.strip();
        if (data.length() >= 2 && data.startsWith("\"") && data.endsWith("\"")) {
            data = data.substring(1, data.length() - 1);
        }
        return data.startsWith("0x") ? data : null;
    }

    static Decoded decode(String errorData) {
        String revertData = revertData(errorData);
        if (revertData == null || revertData.length() < 10) {
            return new Decoded("unknown", "revert without error data");
        }
        String data = revertData.toLowerCase(Locale.ROOT);
        String signature = BY_SELECTOR.get(data.substring(0, 10));
        if (signature == null) {
            return new Decoded("unknown", "unrecognised revert data " + data);
        }
        String name = signature.substring(0, signature.indexOf('('));
        String[] types =
                signature.substring(name.length() + 1, signature.length() - 1).split(",");
        List<String> args = new ArrayList<>();
        String words = data.substring(10);
        for (int i = 0; i < types.length && !types[i].isEmpty() && words.length() >= (i + 1) * 64; i++) {
            String word = words.substring(i * 64, (i + 1) * 64);
            args.add(
                    switch (types[i]) {
                        case "address" -> "0x" + word.substring(24);
                        case "bytes32" -> "0x" + word;
                        default -> new BigInteger(word, 16).toString();
                    });
        }
        return new Decoded(name, name + "(" + String.join(", ", args) + ")");
    }
}
