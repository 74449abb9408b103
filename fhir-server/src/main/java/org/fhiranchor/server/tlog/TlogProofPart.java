package org.fhiranchor.server.tlog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.fhiranchor.anchor.tlog.SignedNote;
import org.fhiranchor.anchor.tlog.TlogProof;
import org.fhiranchor.server.log.LogEntry;
import org.fhiranchor.server.verify.VerifyPartContributor;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Parameters;

/**
 * Adds {@code tlogProof} to {@code $verify} beside the {@code fhir-anchor-proof/1} document: the same inclusion
 * path to the same anchored tree head, as a c2sp.org/tlog-proof@v1 with the leaf entry in its {@code extra} line
 * and the signed checkpoint of that tree size (docs/verification.md section 7.5).
 */
final class TlogProofPart implements VerifyPartContributor {

    static final String CONTENT_TYPE = "text/plain; charset=utf-8";

    private final CheckpointNotes notes;

    TlogProofPart(CheckpointNotes notes) {
        this.notes = notes;
    }

    @Override
    public void contribute(LogEntry entry, Parameters parameters) {
        if (!entry.isSequenced() || !parameters.hasParameter("treeSize") || !parameters.hasParameter("auditPath")) {
            return;
        }
        long treeSize =
                Long.parseLong(parameters.getParameter("treeSize").getValue().primitiveValue());
        Optional<SignedNote> checkpoint = notes.ofSize(treeSize);
        if (checkpoint.isEmpty()) {
            return;
        }
        List<byte[]> path = new ArrayList<>();
        for (Parameters.ParametersParameterComponent hash :
                parameters.getParameter("auditPath").getPart()) {
            path.add(HexFormat.of().parseHex(hash.getValue().primitiveValue()));
        }
        TlogProof proof = new TlogProof(entry.leaf().encode(), entry.leafIndex(), path, checkpoint.get());
        parameters
                .addParameter()
                .setName("tlogProof")
                .setValue(new Attachment()
                        .setContentType(CONTENT_TYPE)
                        .setData(proof.encoded().getBytes(StandardCharsets.UTF_8)));
    }
}
