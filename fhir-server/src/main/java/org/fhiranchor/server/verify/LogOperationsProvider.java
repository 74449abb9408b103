package org.fhiranchor.server.verify;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.HexFormat;
import java.util.List;
import org.fhiranchor.anchor.log.MerkleTree;
import org.fhiranchor.server.anchoring.Checkpoint;
import org.fhiranchor.server.anchoring.CheckpointRepository;
import org.fhiranchor.server.log.JdbcSubtreeHashes;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;

/** Server-level operations on the log: {@code $consistency} and {@code $checkpoints}. */
public final class LogOperationsProvider {

    static final int MAX_CHECKPOINTS_PAGE = 1000;

    private final CheckpointRepository checkpoints;
    private final JdbcSubtreeHashes subtrees;

    public LogOperationsProvider(CheckpointRepository checkpoints, JdbcSubtreeHashes subtrees) {
        this.checkpoints = checkpoints;
        this.subtrees = subtrees;
    }

    /** RFC 9162 consistency proof between two ANCHORED checkpoints: the log at {@code to} extends the log at {@code from}. */
    @Operation(name = "$consistency", idempotent = true)
    public Parameters consistency(
            @OperationParam(name = "from", min = 1) IntegerType from,
            @OperationParam(name = "to", min = 1) IntegerType to) {
        if (from == null || to == null || from.getValue() == null || to.getValue() == null) {
            throw new InvalidRequestException("from and to (tree sizes of anchored checkpoints) are required");
        }
        long m = from.getValue();
        long n = to.getValue();
        if (m < 1 || m > n) {
            throw new InvalidRequestException("need 1 <= from <= to, got from=" + m + ", to=" + n);
        }
        Checkpoint old = anchored(m);
        Checkpoint current = anchored(n);
        Parameters parameters = new Parameters();
        parameters.addParameter().setName("from").setValue(FhirNumbers.of(m));
        parameters.addParameter().setName("to").setValue(FhirNumbers.of(n));
        parameters
                .addParameter()
                .setName("fromRootHash")
                .setValue(new StringType(HexFormat.of().formatHex(old.rootHash())));
        parameters
                .addParameter()
                .setName("toRootHash")
                .setValue(new StringType(HexFormat.of().formatHex(current.rootHash())));
        Parameters.ParametersParameterComponent path = parameters.addParameter().setName("consistencyPath");
        List<byte[]> proof = MerkleTree.consistencyPath(m, n, subtrees);
        proof.forEach(hash -> path.addPart()
                .setName("hash")
                .setValue(new StringType(HexFormat.of().formatHex(hash))));
        addAnchor(parameters.addParameter().setName("fromCheckpoint"), old);
        addAnchor(parameters.addParameter().setName("toCheckpoint"), current);
        return parameters;
    }

    /** The anchored checkpoints in tree-size order, a page at a time ({@code after} = last size seen). */
    @Operation(name = "$checkpoints", idempotent = true)
    public Parameters list(
            @OperationParam(name = "after") IntegerType after, @OperationParam(name = "_count") IntegerType count) {
        long afterSize = after == null || after.getValue() == null ? 0 : after.getValue();
        int limit = count == null || count.getValue() == null
                ? 100
                : Math.min(Math.max(1, count.getValue()), MAX_CHECKPOINTS_PAGE);
        Parameters parameters = new Parameters();
        for (Checkpoint checkpoint : checkpoints.page(afterSize, limit)) {
            Parameters.ParametersParameterComponent part =
                    parameters.addParameter().setName("checkpoint");
            part.addPart().setName("treeSize").setValue(FhirNumbers.of(checkpoint.treeSize()));
            part.addPart()
                    .setName("rootHash")
                    .setValue(new StringType(HexFormat.of().formatHex(checkpoint.rootHash())));
            part.addPart()
                    .setName("status")
                    .setValue(new StringType(checkpoint.status().name().toLowerCase()));
            if (checkpoint.anchored()) {
                addAnchorParts(part, checkpoint);
            }
        }
        return parameters;
    }

    private Checkpoint anchored(long size) {
        return checkpoints
                .bySize(size)
                .filter(Checkpoint::anchored)
                .orElseThrow(() -> new InvalidRequestException(
                        "no anchored checkpoint at tree size " + size + " (see $checkpoints)"));
    }

    private static void addAnchor(Parameters.ParametersParameterComponent part, Checkpoint checkpoint) {
        part.addPart().setName("treeSize").setValue(FhirNumbers.of(checkpoint.treeSize()));
        addAnchorParts(part, checkpoint);
    }

    private static void addAnchorParts(Parameters.ParametersParameterComponent part, Checkpoint checkpoint) {
        part.addPart().setName("chainId").setValue(FhirNumbers.of(checkpoint.chainId()));
        part.addPart().setName("contract").setValue(new StringType(checkpoint.contractAddress()));
        part.addPart().setName("transactionHash").setValue(new StringType(checkpoint.txHash()));
        part.addPart().setName("blockNumber").setValue(FhirNumbers.of(checkpoint.blockNumber()));
    }
}
