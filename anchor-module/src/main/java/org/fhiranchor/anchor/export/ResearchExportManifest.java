package org.fhiranchor.anchor.export;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.fhiranchor.anchor.canonical.CanonicalJson;
import org.fhiranchor.anchor.canonical.JsonArray;
import org.fhiranchor.anchor.canonical.JsonFormatException;
import org.fhiranchor.anchor.canonical.JsonNumber;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.canonical.JsonString;
import org.fhiranchor.anchor.canonical.JsonValue;
import org.fhiranchor.anchor.log.MerkleHash;

/**
 * {@code manifest.json} ({@code fhir-anchor-research-export/1}, docs/research-export.md section 3). Its
 * bytes are canonical JSON; their SHA-256 is what the export's Provenance names. The constructor sorts
 * {@code types} and {@code files} (by name) and checks every field, so a manifest built here always
 * serializes to the one canonical form, and {@link #parse} accepts only that form.
 *
 * @param exportId the export's id (Provenance target {@code urn:fhir-anchor:research-export})
 * @param transactionTime when the cohort was evaluated; written as {@link Instant#toString()}
 * @param requester {@code Organization/x} or {@code Practitioner/y}
 * @param purpose the purpose of use, {@code system|code}
 * @param types the exported resource types (sorted, distinct)
 * @param since the {@code _since} asked for, or null
 * @param profileName the de-identification profile ({@code safe-harbor}, ...)
 * @param profileSha256 SHA-256 of the profile's canonical JSON, lowercase hex
 * @param recipientPublicKey the researcher's X25519 public key, base64url (RecipientBox text form)
 * @param considered patients evaluated; {@code included + excluded} must equal it
 */
public record ResearchExportManifest(
        String exportId,
        Instant transactionTime,
        String requester,
        String purpose,
        List<String> types,
        Instant since,
        String profileName,
        String profileSha256,
        String recipientPublicKey,
        long considered,
        long included,
        long excluded,
        List<ExportFile> files) {

    public static final String FORMAT = "fhir-anchor-research-export/1";
    public static final String FILE_NAME = "manifest.json";

    private static final Set<String> MEMBERS = Set.of(
            "cohort",
            "exportId",
            "files",
            "format",
            "profile",
            "purpose",
            "recipient",
            "requester",
            "transactionTime",
            "types");

    public ResearchExportManifest {
        requireText(exportId, "exportId");
        Objects.requireNonNull(transactionTime, "transactionTime");
        requireText(requester, "requester");
        if (!ExportJson.TYPE_AND_ID.matcher(requester).matches()) {
            throw new IllegalArgumentException("requester must be Type/id, got " + requester);
        }
        requireText(purpose, "purpose");
        Objects.requireNonNull(types, "types");
        TreeSet<String> sortedTypes = new TreeSet<>();
        for (String type : types) {
            if (type == null || !ExportJson.TYPE.matcher(type).matches()) {
                throw new IllegalArgumentException("not a resource type: " + type);
            }
            if (!sortedTypes.add(type)) {
                throw new IllegalArgumentException("type " + type + " listed twice");
            }
        }
        types = List.copyOf(sortedTypes);
        requireText(profileName, "profileName");
        ExportJson.hash(profileSha256, "profileSha256");
        RecipientBox.decodePublicKey(recipientPublicKey);
        if (considered < 0 || included < 0 || excluded < 0 || included + excluded != considered) {
            throw new IllegalArgumentException("cohort: included (" + included + ") + excluded (" + excluded
                    + ") must equal considered (" + considered + ")");
        }
        Objects.requireNonNull(files, "files");
        List<ExportFile> sortedFiles = new ArrayList<>(files);
        sortedFiles.forEach(f -> Objects.requireNonNull(f, "file"));
        sortedFiles.sort(Comparator.comparing(ExportFile::name));
        for (int i = 1; i < sortedFiles.size(); i++) {
            if (sortedFiles.get(i).name().equals(sortedFiles.get(i - 1).name())) {
                throw new IllegalArgumentException("file " + sortedFiles.get(i).name() + " listed twice");
            }
        }
        files = List.copyOf(sortedFiles);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }

    public JsonObject toTree() {
        Map<String, JsonValue> cohort = new LinkedHashMap<>();
        cohort.put("considered", JsonNumber.of(considered));
        cohort.put("excluded", JsonNumber.of(excluded));
        cohort.put("included", JsonNumber.of(included));
        Map<String, JsonValue> profile = new LinkedHashMap<>();
        profile.put("name", new JsonString(profileName));
        profile.put("sha256", new JsonString(profileSha256));
        Map<String, JsonValue> recipient = new LinkedHashMap<>();
        recipient.put("algorithm", new JsonString("X25519"));
        recipient.put("publicKey", new JsonString(recipientPublicKey));
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("cohort", new JsonObject(cohort));
        m.put("exportId", new JsonString(exportId));
        m.put(
                "files",
                new JsonArray(files.stream().map(f -> (JsonValue) f.toTree()).toList()));
        m.put("format", new JsonString(FORMAT));
        m.put("profile", new JsonObject(profile));
        m.put("purpose", new JsonString(purpose));
        m.put("recipient", new JsonObject(recipient));
        m.put("requester", new JsonString(requester));
        if (since != null) {
            m.put("since", new JsonString(since.toString()));
        }
        m.put("transactionTime", new JsonString(transactionTime.toString()));
        m.put(
                "types",
                new JsonArray(
                        types.stream().map(t -> (JsonValue) new JsonString(t)).toList()));
        return new JsonObject(m);
    }

    /** The exact bytes of {@code manifest.json}. */
    public byte[] canonicalBytes() {
        return CanonicalJson.serialize(toTree());
    }

    /** SHA-256 of {@link #canonicalBytes()}, lowercase hex: the value the Provenance carries. */
    public String sha256() {
        return HexFormat.of().formatHex(MerkleHash.sha256(canonicalBytes()));
    }

    /** The file of this name, if listed. */
    public java.util.Optional<ExportFile> file(String name) {
        return files.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /**
     * Reads {@code manifest.json}: strict JSON, exactly the members of the format, valid values, and the
     * bytes must be the canonical form (what {@link #canonicalBytes()} gives). Throws JsonFormatException.
     */
    public static ResearchExportManifest parse(byte[] json) {
        JsonObject o = JsonParser.parseObject(json);
        ExportJson.members(o, MEMBERS, Set.of("since"), "manifest");
        if (!FORMAT.equals(o.getString("format"))) {
            throw new JsonFormatException(
                    "manifest: format must be \"" + FORMAT + "\", got \"" + o.getString("format") + "\"");
        }
        JsonObject cohort = o.getObject("cohort");
        ExportJson.members(cohort, Set.of("considered", "excluded", "included"), Set.of(), "cohort");
        JsonObject profile = o.getObject("profile");
        ExportJson.members(profile, Set.of("name", "sha256"), Set.of(), "profile");
        JsonObject recipient = o.getObject("recipient");
        ExportJson.members(recipient, Set.of("algorithm", "publicKey"), Set.of(), "recipient");
        if (!"X25519".equals(recipient.getString("algorithm"))) {
            throw new JsonFormatException("recipient: algorithm must be \"X25519\"");
        }
        List<String> types = new ArrayList<>();
        for (JsonValue t : o.getArray("types").elements()) {
            if (!(t instanceof JsonString s)) {
                throw new JsonFormatException("types: every element must be a string");
            }
            types.add(s.value());
        }
        List<ExportFile> files = new ArrayList<>();
        for (JsonValue f : o.getArray("files").elements()) {
            if (!(f instanceof JsonObject file)) {
                throw new JsonFormatException("files: every element must be an object");
            }
            files.add(ExportFile.fromTree(file));
        }
        ResearchExportManifest manifest;
        try {
            manifest = new ResearchExportManifest(
                    o.getString("exportId"),
                    ExportJson.instant(o.getString("transactionTime"), "transactionTime"),
                    o.getString("requester"),
                    o.getString("purpose"),
                    types,
                    o.has("since") ? ExportJson.instant(o.getString("since"), "since") : null,
                    profile.getString("name"),
                    profile.getString("sha256"),
                    recipient.getString("publicKey"),
                    ExportJson.nonNegative(cohort, "considered"),
                    ExportJson.nonNegative(cohort, "included"),
                    ExportJson.nonNegative(cohort, "excluded"),
                    files);
        } catch (IllegalArgumentException e) {
            throw new JsonFormatException("manifest: " + e.getMessage());
        }
        if (!Arrays.equals(manifest.canonicalBytes(), json)) {
            throw new JsonFormatException(
                    "manifest: not in canonical form (members sorted, no whitespace, " + "types and files sorted)");
        }
        return manifest;
    }
}
