package org.fhiranchor.anchor.chain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fhiranchor.anchor.canonical.JsonArray;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.canonical.JsonValue;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;

/** docs/contract.md lists every event of the contract this build ships with its exact topics[0]. */
class ContractDocTest {

    @Test
    void everyEventsTopicZeroIsDocumented() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "contract.md"));
        JsonArray abi = (JsonArray) JsonParser.parse(ContractArtifacts.abiJson().getBytes(StandardCharsets.UTF_8));
        List<String> events = new ArrayList<>();
        for (JsonValue item : abi.elements()) {
            JsonObject entry = (JsonObject) item;
            if (!"event".equals(entry.getString("type"))) {
                continue;
            }
            List<String> types = new ArrayList<>();
            for (JsonValue input : entry.getArray("inputs").elements()) {
                types.add(((JsonObject) input).getString("type"));
            }
            String signature = entry.getString("name") + "(" + String.join(",", types) + ")";
            events.add(signature);
            String topic = Hash.sha3String(signature);
            assertTrue(
                    doc.contains("`" + signature + "` | `" + topic + "`"),
                    "docs/contract.md must list " + signature + " with topics[0] " + topic);
        }
        assertTrue(events.size() >= 7, "events found in the ABI: " + events);
    }
}
