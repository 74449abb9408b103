package org.fhiranchor.server.verify;

import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import org.fhiranchor.server.anchoring.Checkpoint;
import org.fhiranchor.server.log.LogEntry;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.StringType;

/**
 * The parts that {@code $verify} (top-level parameters) and {@code $verify-many} (parts of each
 * {@code version} parameter, and top-level for the shared anchor) both answer with, in the documented
 * order. Each method takes the place to add a part: {@code parameters::addParameter} or {@code part::addPart}.
 */
final class VerificationParts {

    private VerificationParts() {}

    /** operation, contentHash, currentContentHash, salt, and for a sequenced entry leafHash and leafIndex. */
    static void addLeaf(Supplier<ParametersParameterComponent> add, LogEntry entry, byte[] currentContentHash) {
        add.get()
                .setName("operation")
                .setValue(new CodeType(entry.leaf().operation().name().toLowerCase()));
        addHex(add, "contentHash", entry.leaf().contentHash());
        addHex(add, "currentContentHash", currentContentHash);
        addHex(add, "salt", entry.leaf().salt());
        if (entry.isSequenced()) {
            addHex(add, "leafHash", entry.leafHash());
            add.get().setName("leafIndex").setValue(FhirNumbers.of(entry.leafIndex()));
        }
    }

    /** chainId, contract, transactionHash, blockNumber of the anchoring transaction, and confirmations if known. */
    static void addAnchor(
            Supplier<ParametersParameterComponent> add, Checkpoint checkpoint, Optional<Long> confirmations) {
        add.get().setName("chainId").setValue(FhirNumbers.of(checkpoint.chainId()));
        add.get().setName("contract").setValue(new StringType(checkpoint.contractAddress()));
        add.get().setName("transactionHash").setValue(new StringType(checkpoint.txHash()));
        add.get().setName("blockNumber").setValue(FhirNumbers.of(checkpoint.blockNumber()));
        confirmations.ifPresent(c -> add.get().setName("confirmations").setValue(new IntegerType(Math.toIntExact(c))));
    }

    static void addHex(Supplier<ParametersParameterComponent> add, String name, byte[] bytes) {
        add.get().setName(name).setValue(new StringType(HexFormat.of().formatHex(bytes)));
    }
}
