package org.fhiranchor.anchor.chain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Collects measured gas per operation and prints it (docs/contract.md quotes these figures). */
final class GasReport {
    private static final Map<String, Long> FIGURES = new TreeMap<>();

    private GasReport() {}

    static synchronized void record(String operation, long gasUsed) {
        FIGURES.put(operation, gasUsed);
    }

    static synchronized void print() {
        StringBuilder text = new StringBuilder("Gas used on Anvil (FhirAnchor, solc 0.8.37, optimizer 200, paris):\n");
        FIGURES.forEach((op, gas) -> text.append(String.format("  %-55s %,10d%n", op, gas)));
        System.out.print(text);
        try {
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "gas-report.txt"), text);
        } catch (IOException e) {
            System.err.println("could not write target/gas-report.txt: " + e);
        }
    }
}
