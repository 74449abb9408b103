package org.fhiranchor.server.research.deid;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.fhiranchor.anchor.canonical.CanonicalJson;
import org.fhiranchor.anchor.canonical.JsonArray;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.canonical.JsonString;
import org.fhiranchor.anchor.canonical.JsonValue;

/**
 * A named, documented rule set; loaded from classpath {@code deid/<name>.json}. The code interprets
 * every parameter of the JSON (date mode, shift range, age ceiling, removed datatypes and elements,
 * allowlists), so the profile's hash covers the rules an export was made with.
 */
public final class DeidentificationProfile {

    public static final String FORMAT = "fhir-anchor-deidentification-profile/1";
    public static final String DEFAULT_NAME = "safe-harbor";
    private static final Set<String> NAMES = Set.of("safe-harbor", "safe-harbor-date-shift");

    /** How dates of a patient's resources are treated; resources in no patient compartment always get {@link #YEAR}. */
    enum DateMode {
        YEAR,
        SHIFT
    }

    private final String name;
    private final byte[] canonicalJson;
    private final byte[] sha256;
    private final DateMode dateMode;
    private final int maxShiftDays;
    private final int ageCeilingYears;
    private final String ageFlagExtension;
    private final int pseudonymHexLength;
    private final Set<String> removedDatatypes;
    private final Set<String> removedElements;
    private final Map<String, Set<String>> keepOnlyChildren;
    private final Map<String, Set<String>> keepOnlyListed;
    private final Set<String> keptExtensions;

    private DeidentificationProfile(String name, byte[] canonicalJson, JsonObject json) {
        this.name = name;
        this.canonicalJson = canonicalJson;
        this.sha256 = sha256Of(canonicalJson);
        if (!FORMAT.equals(json.getString("format")) || !name.equals(json.getString("name"))) {
            throw new IllegalStateException("deid/" + name + ".json: wrong format or name");
        }
        JsonObject dates = json.getObject("dates");
        this.dateMode = switch (dates.getString("mode")) {
            case "year" -> DateMode.YEAR;
            case "shift" -> DateMode.SHIFT;
            default -> throw new IllegalStateException("deid/" + name + ".json: unknown date mode");
        };
        this.maxShiftDays = dateMode == DateMode.SHIFT ? intOf(dates, "maxShiftDays") : 0;
        if (dateMode == DateMode.SHIFT && maxShiftDays < 1) {
            throw new IllegalStateException("deid/" + name + ".json: maxShiftDays must be positive");
        }
        JsonObject ages = json.getObject("ages");
        this.ageCeilingYears = intOf(ages, "ceilingYears");
        this.ageFlagExtension = ages.getString("flagExtension");
        this.pseudonymHexLength = intOf(json.getObject("pseudonyms"), "hexLength");
        if (pseudonymHexLength < 32 || pseudonymHexLength > 64 || pseudonymHexLength % 2 != 0) {
            throw new IllegalStateException("deid/" + name + ".json: hexLength must be even, 32..64");
        }
        this.removedDatatypes = stringSet(json.getArray("removeDatatypes"));
        this.removedElements = stringSet(json.getArray("removeElements"));
        this.keepOnlyChildren = stringSetMap(json.getObject("keepOnlyChildren"));
        this.keepOnlyListed = stringSetMap(json.getObject("keepOnlyListed"));
        this.keptExtensions = stringSet(json.getArray("keepExtensions"));
    }

    /** {@code safe-harbor} (the default) or {@code safe-harbor-date-shift}; IllegalArgumentException for any other name. */
    public static DeidentificationProfile load(String name) {
        if (name == null || !NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown de-identification profile: " + name);
        }
        String resource = "deid/" + name + ".json";
        try (InputStream in = DeidentificationProfile.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + resource);
            }
            byte[] canonical = CanonicalJson.canonicalize(in.readAllBytes());
            return new DeidentificationProfile(name, canonical, JsonParser.parseObject(canonical));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Set<String> names() {
        return NAMES;
    }

    public String name() {
        return name;
    }

    /** The profile JSON in anchor-module canonical form (what {@link #sha256()} hashes). */
    public byte[] canonicalJson() {
        return canonicalJson.clone();
    }

    public byte[] sha256() {
        return sha256.clone();
    }

    DateMode dateMode() {
        return dateMode;
    }

    int maxShiftDays() {
        return maxShiftDays;
    }

    int ageCeilingYears() {
        return ageCeilingYears;
    }

    String ageFlagExtension() {
        return ageFlagExtension;
    }

    int pseudonymHexLength() {
        return pseudonymHexLength;
    }

    boolean removesDatatype(String datatype) {
        return removedDatatypes.contains(datatype);
    }

    boolean removesElement(String path) {
        return removedElements.contains(path);
    }

    /** The children kept of a datatype whose other children all go, or null if the datatype has no such rule. */
    Set<String> keptChildrenOf(String datatype) {
        return keepOnlyChildren.get(datatype);
    }

    /** True if values of this datatype are removed unless their path is listed. */
    boolean keepsOnlyListed(String datatype) {
        return keepOnlyListed.containsKey(datatype);
    }

    boolean isListed(String datatype, String path) {
        Set<String> listed = keepOnlyListed.get(datatype);
        return listed != null && listed.contains(path);
    }

    boolean keepsExtension(String url) {
        return url != null && keptExtensions.contains(url);
    }

    private static int intOf(JsonObject object, String member) {
        long value = object.getNumber(member).asNonNegativeLong();
        if (value > 100_000) {
            throw new IllegalStateException(member + " out of range");
        }
        return (int) value;
    }

    private static Set<String> stringSet(JsonArray array) {
        Set<String> set = new LinkedHashSet<>();
        for (JsonValue value : array.elements()) {
            set.add(((JsonString) value).value());
        }
        return Set.copyOf(set);
    }

    private static Map<String, Set<String>> stringSetMap(JsonObject object) {
        Map<String, Set<String>> map = new LinkedHashMap<>();
        object.members().forEach((key, value) -> map.put(key, stringSet((JsonArray) value)));
        return Map.copyOf(map);
    }

    private static byte[] sha256Of(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
