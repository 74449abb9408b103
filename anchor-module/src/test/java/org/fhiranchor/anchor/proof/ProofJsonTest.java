package org.fhiranchor.anchor.proof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fhiranchor.anchor.canonical.CanonicalJson;
import org.fhiranchor.anchor.canonical.JsonArray;
import org.fhiranchor.anchor.canonical.JsonNumber;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.canonical.JsonString;
import org.fhiranchor.anchor.canonical.JsonValue;
import org.junit.jupiter.api.Test;

class ProofJsonTest {

    private final LogFixture log = new LogFixture(13);
    private final AnchorProof proof = log.proof(6, 13);

    @Test
    void roundTrips() {
        byte[] json = ProofJson.write(proof);
        AnchorProof read = ProofJson.read(json);
        assertEquals(proof, read);
        assertArrayEquals(json, ProofJson.write(read));
        for (int i = 0; i < 13; i++) {
            for (long n = i + 1; n <= 13; n++) {
                assertEquals(log.proof(i, n), ProofJson.read(ProofJson.write(log.proof(i, n))));
            }
        }
    }

    @Test
    void writesTheDocumentedShape() {
        String json = new String(ProofJson.write(proof), StandardCharsets.UTF_8);
        assertTrue(
                json.startsWith("{\"anchor\":{\"blockNumber\":42,\"chainId\":31337,"
                        + "\"contract\":\"0x5FbDB2315678afecb367f032d93F642f64180aa3\",\"txHash\":\"0xabab"),
                json);
        assertTrue(json.contains("\"format\":\"fhir-anchor-proof/1\""));
        assertTrue(json.contains("\"resource\":\"Patient/p1/_history/2\""));
        assertTrue(json.contains("\"operation\":\"update\""));
        assertTrue(json.contains("\"leafIndex\":6,"));
        assertTrue(json.contains("\"treeSize\":13}"));
        assertTrue(json.matches(".*\"rootHash\":\"[0-9a-f]{64}\".*"));
        assertTrue(json.matches(".*\"auditPath\":\\[(\"[0-9a-f]{64}\",?){4}\\].*"), json);
    }

    private Map<String, JsonValue> members() {
        return new LinkedHashMap<>(ProofJson.toTree(proof).members());
    }

    private static ProofFormatException rejects(Map<String, JsonValue> members) {
        byte[] json = CanonicalJson.serialize(new JsonObject(members));
        return assertThrows(ProofFormatException.class, () -> ProofJson.read(json));
    }

    private static void assertMessage(ProofFormatException e, String expected) {
        assertTrue(e.getMessage().contains(expected), "\"" + e.getMessage() + "\" should mention " + expected);
    }

    @Test
    void rejectsEachMissingMember() {
        for (String name : members().keySet()) {
            Map<String, JsonValue> members = members();
            members.remove(name);
            assertMessage(rejects(members), "missing member \"" + name + "\"");
        }
        for (String name : List.of("chainId", "contract", "txHash", "blockNumber")) {
            Map<String, JsonValue> anchor =
                    new LinkedHashMap<>(((JsonObject) members().get("anchor")).members());
            anchor.remove(name);
            Map<String, JsonValue> members = members();
            members.put("anchor", new JsonObject(anchor));
            assertMessage(rejects(members), "anchor: missing member \"" + name + "\"");
        }
    }

    @Test
    void rejectsUnknownMembersAndOtherFormats() {
        Map<String, JsonValue> members = members();
        members.put("leafHashes", new JsonArray(List.of()));
        assertMessage(rejects(members), "unknown member \"leafHashes\"");
        members = members();
        members.put("format", new JsonString("fhir-anchor-proof/2"));
        assertMessage(rejects(members), "unsupported proof format");
    }

    @Test
    void rejectsBadHashes() {
        String good = "ab".repeat(32);
        for (String name : List.of("contentHash", "salt", "leafHash", "rootHash")) {
            for (String bad : List.of(
                    good.substring(2),
                    good + "ab",
                    good.substring(1),
                    good.toUpperCase(),
                    "0x" + good.substring(2),
                    "zz" + good.substring(2),
                    "")) {
                Map<String, JsonValue> members = members();
                members.put(name, new JsonString(bad));
                assertMessage(rejects(members), name);
            }
            Map<String, JsonValue> members = members();
            members.put(name, JsonNumber.of(1));
            assertMessage(rejects(members), name + "\" must be a string");
        }
        Map<String, JsonValue> members = members();
        members.put("auditPath", new JsonArray(List.of(new JsonString(good), new JsonString(good.substring(2)))));
        assertMessage(rejects(members), "auditPath[1]");
        members.put("auditPath", new JsonArray(List.of(JsonNumber.of(5))));
        assertMessage(rejects(members), "auditPath[0] must be a string");
        members.put("auditPath", new JsonString(good));
        assertMessage(rejects(members), "auditPath");
    }

    @Test
    void rejectsBadNumbersReferencesAndAnchors() {
        for (String number : List.of("-1", "6.0", "6e0", "18446744073709551616")) {
            Map<String, JsonValue> members = members();
            members.put("leafIndex", new JsonNumber(number));
            assertMessage(rejects(members), "leafIndex");
        }
        Map<String, JsonValue> members = members();
        members.put("treeSize", new JsonString("13"));
        assertMessage(rejects(members), "treeSize");
        members = members();
        members.put("resource", new JsonString("Patient/p1"));
        assertMessage(rejects(members), "resource");
        members = members();
        members.put("operation", new JsonString("UPDATE"));
        assertMessage(rejects(members), "operation");
        for (Map.Entry<String, JsonValue> bad : Map.<String, JsonValue>of(
                        "contract", new JsonString("0x1234"),
                        "txHash", new JsonString("ab".repeat(32)),
                        "chainId", JsonNumber.of(0),
                        "blockNumber", new JsonNumber("-5"))
                .entrySet()) {
            Map<String, JsonValue> anchor =
                    new LinkedHashMap<>(((JsonObject) members().get("anchor")).members());
            anchor.put(bad.getKey(), bad.getValue());
            members = members();
            members.put("anchor", new JsonObject(anchor));
            assertMessage(rejects(members), "anchor");
        }
    }

    @Test
    void rejectsJsonThatIsNotStrict() {
        String json = new String(ProofJson.write(proof), StandardCharsets.UTF_8);
        for (String bad : List.of(
                json + "x",
                json.replace("\"treeSize\":13", "\"treeSize\":13,\"treeSize\":13"),
                "[" + json + "]",
                "",
                json.substring(0, json.length() - 1))) {
            assertThrows(ProofFormatException.class, () -> ProofJson.read(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
        assertEquals(JsonParser.parse(ProofJson.write(proof)), ProofJson.toTree(proof));
    }
}
