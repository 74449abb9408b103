package org.fhiranchor.anchor.chain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The compiled FhirAnchor contract packaged in this jar by the build (solc-js, see
 * anchor-module/src/main/solidity/compile.js): what we deploy and what we expect to find at an
 * address we are told to use.
 */
public final class ContractArtifacts {
    private static final String RESOURCE_DIR = "/org/fhiranchor/anchor/chain/";

    private ContractArtifacts() {}

    /** Creation bytecode, lower-case hex without 0x. */
    public static String creationBytecode() {
        return read("FhirAnchor.bin");
    }

    /** Runtime bytecode (what eth_getCode returns for a deployed instance), lower-case hex without 0x. */
    public static String runtimeBytecode() {
        return read("FhirAnchor.bin-runtime");
    }

    /** The ABI as JSON. */
    public static String abiJson() {
        return read("FhirAnchor.abi");
    }

    private static String read(String name) {
        try (InputStream in = ContractArtifacts.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE_DIR + name + " missing: build anchor-module with Maven");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
