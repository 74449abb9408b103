package org.fhiranchor.anchor.verifier;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fhiranchor.anchor.canonical.JsonArray;
import org.fhiranchor.anchor.canonical.JsonFormatException;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.canonical.JsonString;
import org.fhiranchor.anchor.canonical.JsonValue;
import org.fhiranchor.anchor.proof.MultiProof;
import org.fhiranchor.anchor.proof.MultiProofJson;
import org.fhiranchor.anchor.proof.ProofFormatException;

/**
 * Reads the answer of {@code $verify} for many versions (docs/verification.md section 4.1): the status the
 * server reports for each version ({@code version.resource}, {@code version.status}), informational, and the
 * {@code proof} attachment, the exact {@code fhir-anchor-multiproof/1} bytes, absent when no version is
 * anchored yet. Everything else is for human readers.
 */
public record VerifyManyAnswer(Map<String, String> statusByVersion, Optional<MultiProof> proof) {

    public VerifyManyAnswer {
        statusByVersion = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(statusByVersion));
    }

    /** @throws ProofFormatException if the answer is not such a Parameters or its proof is malformed */
    public static VerifyManyAnswer parse(byte[] parametersJson) {
        JsonObject parameters;
        try {
            parameters = JsonParser.parseObject(parametersJson);
        } catch (JsonFormatException e) {
            throw new ProofFormatException("the $verify answer is not valid JSON: " + e.getMessage());
        }
        if (!parameters.path("resourceType").equals(Optional.of(new JsonString("Parameters")))) {
            throw new ProofFormatException("the $verify answer is not a FHIR Parameters resource");
        }
        Map<String, String> statuses = new LinkedHashMap<>();
        byte[] proofJson = null;
        for (JsonValue element : list(parameters, "parameter")) {
            if (!(element instanceof JsonObject parameter)
                    || !(parameter.member("name").orElse(null) instanceof JsonString name)) {
                continue;
            }
            if (name.value().equals("version")) {
                Map<String, String> parts = new LinkedHashMap<>();
                for (JsonValue partValue : list(parameter, "part")) {
                    if (partValue instanceof JsonObject part
                            && part.member("name").orElse(null) instanceof JsonString partName) {
                        part.member("valueString")
                                .or(() -> part.member("valueCode"))
                                .filter(JsonString.class::isInstance)
                                .ifPresent(v -> parts.put(partName.value(), ((JsonString) v).value()));
                    }
                }
                if (parts.containsKey("resource") && parts.containsKey("status")) {
                    statuses.put(parts.get("resource"), parts.get("status"));
                }
            } else if (name.value().equals("proof")) {
                if (proofJson != null) {
                    throw new ProofFormatException("the $verify answer has more than one proof");
                }
                Optional<JsonValue> data = parameter.path("valueAttachment", "data");
                if (!(data.orElse(null) instanceof JsonString base64)) {
                    throw new ProofFormatException("the proof attachment has no data");
                }
                try {
                    proofJson = Base64.getDecoder().decode(base64.value());
                } catch (IllegalArgumentException e) {
                    throw new ProofFormatException("the proof attachment is not base64: " + e.getMessage());
                }
            }
        }
        return new VerifyManyAnswer(
                statuses, proofJson == null ? Optional.empty() : Optional.of(MultiProofJson.read(proofJson)));
    }

    private static List<JsonValue> list(JsonObject object, String name) {
        return object.member(name)
                .filter(JsonArray.class::isInstance)
                .map(a -> ((JsonArray) a).elements())
                .orElse(List.of());
    }
}
