package org.fhiranchor.anchor.verifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fhiranchor.anchor.canonical.CanonicalJson;
import org.fhiranchor.anchor.canonical.ContentHash;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.canonical.JsonString;
import org.fhiranchor.anchor.canonical.JsonValue;
import org.fhiranchor.anchor.log.InMemorySubtreeHashes;
import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.anchor.log.ResourceRef;
import org.fhiranchor.anchor.proof.AnchorProof;
import org.fhiranchor.anchor.proof.ChainAnchor;

/**
 * A small log built from official HL7 R4 examples, as a server would have logged them: every example is
 * created, most are updated once or twice (a new versionId and lastUpdated each time), one is deleted.
 * Leaves are in write order (all creates, then the second versions, ...), salts are deterministic.
 */
final class ExampleLog {

    static final String[] EXAMPLES = {
        "Observation/Observation-decimal.json", "Patient/Patient-example.json", "Observation/Observation-f003.json",
        "Patient/Patient-ch-example.json", "Observation/Observation-bmi.json",
                "Consent/Consent-consent-example-basic.json",
        "AuditEvent/AuditEvent-example-login.json", "Claim/Claim-100150.json",
                "Observation/Observation-body-height.json",
    };
    /** Versions per example: the first five get three versions, the others two. */
    static final int[] VERSIONS = {3, 3, 3, 3, 3, 2, 2, 2, 2};
    /** The example (index) whose resource is deleted at the end, as version 3. */
    static final int DELETED = 6;

    /** One logged version; {@code served} is null for the delete. */
    record Version(LeafEntry entry, byte[] served) {
        ResourceRef ref() {
            return entry.ref();
        }
    }

    final List<Version> versions = new ArrayList<>();
    final InMemorySubtreeHashes tree = new InMemorySubtreeHashes();

    ExampleLog(Path examples) {
        List<JsonObject> originals = new ArrayList<>();
        for (String name : EXAMPLES) {
            try {
                originals.add(JsonParser.parseObject(Files.readAllBytes(examples.resolve(name))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (int vid = 1; vid <= 3; vid++) {
            for (int i = 0; i < originals.size(); i++) {
                if (vid <= VERSIONS[i]) {
                    add(vid == 1 ? Operation.CREATE : Operation.UPDATE, originals.get(i), vid);
                }
            }
        }
        add(Operation.DELETE, originals.get(DELETED), VERSIONS[DELETED] + 1);
    }

    private void add(Operation operation, JsonObject original, int vid) {
        ResourceRef ref = new ResourceRef(
                ((JsonString) original.members().get("resourceType")).value(),
                ((JsonString) original.members().get("id")).value(),
                Integer.toString(vid));
        byte[] served = operation == Operation.DELETE ? null : CanonicalJson.serialize(asVersion(original, vid));
        byte[] contentHash = served == null ? ContentHash.deleted() : ContentHash.of(served);
        LeafEntry entry = new LeafEntry(operation, ref, contentHash, salt(versions.size()));
        versions.add(new Version(entry, served));
        tree.append(entry.leafHash());
    }

    /** The example as the server serves that version: its meta carries versionId and lastUpdated. */
    private static JsonObject asVersion(JsonObject original, int vid) {
        Map<String, JsonValue> meta = new LinkedHashMap<>();
        original.member("meta")
                .filter(JsonObject.class::isInstance)
                .ifPresent(m -> meta.putAll(((JsonObject) m).members()));
        meta.put("versionId", new JsonString(Integer.toString(vid)));
        meta.put("lastUpdated", new JsonString("2026-11-21T06:0" + vid + ":00.000+00:00"));
        Map<String, JsonValue> members = new LinkedHashMap<>(original.members());
        members.put("meta", new JsonObject(meta));
        return new JsonObject(members);
    }

    static byte[] salt(int i) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(("verifier-salt-" + i).getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    int size() {
        return versions.size();
    }

    int indexOf(String ref) {
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i).ref().toString().equals(ref)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no version " + ref);
    }

    Version version(String ref) {
        return versions.get(indexOf(ref));
    }

    AnchorProof proof(String ref, long treeSize, ChainAnchor anchor) {
        int index = indexOf(ref);
        return AnchorProof.forLeaf(versions.get(index).entry(), index, treeSize, tree, anchor);
    }

    /** The current version of each resource: {@code Type/id} to its latest {@code Type/id/_history/vid}. */
    Map<String, String> currentVersions() {
        Map<String, String> current = new LinkedHashMap<>();
        versions.forEach(
                v -> current.put(v.ref().type() + "/" + v.ref().id(), v.ref().toString()));
        return current;
    }
}
