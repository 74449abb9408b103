package org.fhiranchor.anchor.export;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.fhiranchor.anchor.canonical.JsonFormatException;
import org.fhiranchor.anchor.canonical.JsonNumber;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonString;
import org.fhiranchor.anchor.canonical.JsonValue;

/**
 * One encrypted file of an export, as the manifest lists it.
 *
 * @param name file name, {@code [A-Za-z0-9][A-Za-z0-9.-]*} ending in {@code .ndjson.enc} (never a path)
 * @param role what the file holds
 * @param type the resource type of a {@link Role#DATA} file; null for the other roles
 * @param count number of NDJSON lines of the decrypted file
 * @param cid CIDv1 of the encrypted bytes as IPFS stores them (not checked by the verifier, see docs)
 * @param sha256 SHA-256 of the encrypted bytes, lowercase hex
 * @param plaintextSha256 SHA-256 of the decrypted NDJSON, lowercase hex
 */
public record ExportFile(
        String name, Role role, String type, long count, String cid, String sha256, String plaintextSha256) {

    public static final String SUFFIX = ".ndjson.enc";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,127}");
    private static final Pattern CID = Pattern.compile("[A-Za-z0-9]{1,256}");

    public enum Role {
        DATA("data"),
        SOURCES("sources"),
        CONSENT_DECISIONS("consent-decisions");

        private final String jsonName;

        Role(String jsonName) {
            this.jsonName = jsonName;
        }

        public String jsonName() {
            return jsonName;
        }

        public static Role fromJsonName(String name) {
            for (Role role : values()) {
                if (role.jsonName.equals(name)) {
                    return role;
                }
            }
            throw new IllegalArgumentException("unknown file role \"" + name + "\"");
        }
    }

    public ExportFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        if (!NAME.matcher(name).matches() || !name.endsWith(SUFFIX) || name.contains("..")) {
            throw new IllegalArgumentException(
                    "file name must match [A-Za-z0-9][A-Za-z0-9.-]* and end in " + SUFFIX + ", got \"" + name + "\"");
        }
        if (role == Role.DATA) {
            if (type == null || !ExportJson.TYPE.matcher(type).matches()) {
                throw new IllegalArgumentException("a data file needs a resource type, got " + type);
            }
        } else if (type != null) {
            throw new IllegalArgumentException("only data files have a type");
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        if (cid == null || !CID.matcher(cid).matches()) {
            throw new IllegalArgumentException("cid must be a multibase CID string, got " + cid);
        }
        ExportJson.hash(sha256, "sha256");
        ExportJson.hash(plaintextSha256, "plaintextSha256");
    }

    /** The decrypted file's name: the name without {@code .enc}. */
    public String plaintextName() {
        return name.substring(0, name.length() - ".enc".length());
    }

    JsonObject toTree() {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("cid", new JsonString(cid));
        m.put("count", JsonNumber.of(count));
        m.put("name", new JsonString(name));
        m.put("plaintextSha256", new JsonString(plaintextSha256));
        m.put("role", new JsonString(role.jsonName()));
        m.put("sha256", new JsonString(sha256));
        if (type != null) {
            m.put("type", new JsonString(type));
        }
        return new JsonObject(m);
    }

    static ExportFile fromTree(JsonObject o) {
        ExportJson.members(
                o, Set.of("cid", "count", "name", "plaintextSha256", "role", "sha256"), Set.of("type"), "file");
        try {
            return new ExportFile(
                    o.getString("name"),
                    Role.fromJsonName(o.getString("role")),
                    o.has("type") ? o.getString("type") : null,
                    ExportJson.nonNegative(o, "count"),
                    o.getString("cid"),
                    o.getString("sha256"),
                    o.getString("plaintextSha256"));
        } catch (IllegalArgumentException e) {
            throw new JsonFormatException("file: " + e.getMessage());
        }
    }
}
