package org.fhiranchor.anchor.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bytecode we deploy and check addresses against must be exactly what the committed source
 * compiles to: recompile it with the same script into a fresh directory and compare.
 */
class ContractBytecodeTest {
    private static final String PACKAGE_DIR = "org/fhiranchor/anchor/chain/";

    @Test
    void recompilingTheSourceGivesThePackagedBytecode(@TempDir Path output) throws Exception {
        Path solidityDir = Path.of(System.getProperty("fhiranchor.solidity.dir", "src/main/solidity"));
        String node = System.getProperty("fhiranchor.node", "node");
        Path log = output.resolve("compile.log");
        Process compile = new ProcessBuilder(
                        node,
                        solidityDir.resolve("compile.js").toString(),
                        output.resolve("out").toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!compile.waitFor(120, TimeUnit.SECONDS)) {
            compile.destroyForcibly();
            throw new AssertionError("compile.js did not finish in 120 s");
        }
        assertEquals(0, compile.exitValue(), () -> read(log));

        Path recompiled = output.resolve("out").resolve(PACKAGE_DIR);
        assertEquals(
                ContractArtifacts.creationBytecode(),
                read(recompiled.resolve("FhirAnchor.bin")).strip());
        assertEquals(
                ContractArtifacts.runtimeBytecode(),
                read(recompiled.resolve("FhirAnchor.bin-runtime")).strip());
        assertEquals(
                ContractArtifacts.abiJson(),
                read(recompiled.resolve("FhirAnchor.abi")).strip());
    }

    @Test
    void theGeneratedWrapperDeploysThePackagedBytecode() throws Exception {
        var binary = org.fhiranchor.anchor.chain.generated.FhirAnchor.class.getDeclaredField("BINARY");
        binary.setAccessible(true);
        assertEquals(ContractArtifacts.creationBytecode(), ((String) binary.get(null)).strip());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
