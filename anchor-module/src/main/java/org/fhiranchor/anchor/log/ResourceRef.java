package org.fhiranchor.anchor.log;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version-specific reference {@code Type/id/_history/vid}. The shape is checked strictly so that one
 * version has exactly one spelling in the log (no leading zeros in the version id, no empty parts).
 */
public record ResourceRef(String type, String id, String versionId) {

    private static final Pattern TYPE = Pattern.compile("[A-Z][A-Za-z0-9]{0,63}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final Pattern VERSION_ID = Pattern.compile("[1-9][0-9]{0,18}");
    private static final Pattern REF = Pattern.compile("([^/]+)/([^/]+)/_history/([^/]+)");

    public ResourceRef {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(versionId, "versionId");
        if (!TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("not a FHIR resource type name: \"" + type + "\"");
        }
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a FHIR id ([A-Za-z0-9-.]{1,64}): \"" + id + "\"");
        }
        if (!VERSION_ID.matcher(versionId).matches()) {
            throw new IllegalArgumentException(
                    "version id must be a positive integer without leading zeros: \"" + versionId + "\"");
        }
    }

    public static ResourceRef parse(String ref) {
        Matcher m = REF.matcher(Objects.requireNonNull(ref, "ref"));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Type/id/_history/vid reference: \"" + ref + "\"");
        }
        return new ResourceRef(m.group(1), m.group(2), m.group(3));
    }

    @Override
    public String toString() {
        return type + "/" + id + "/_history/" + versionId;
    }
}
