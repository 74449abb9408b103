package org.fhiranchor.server.security;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SMART on FHIR resource scope, {@code <context>/<type>.<permissions>}: v2 permission letters
 * {@code c r u d s} in that order, or the v1 forms {@code read}, {@code write} and {@code *}.
 * Scopes with v2 query restrictions ({@code ?category=...}) are not understood and grant nothing,
 * which is the safe reading.
 *
 * @param context patient, user or system
 * @param resourceType a resource type, or {@code *} for every type except AuditEvent
 */
public record SmartScope(
        Context context,
        String resourceType,
        boolean create,
        boolean read,
        boolean update,
        boolean delete,
        boolean search) {

    public enum Context {
        PATIENT,
        USER,
        SYSTEM
    }

    public static final String ALL_TYPES = "*";

    private static final Pattern SCOPE =
            Pattern.compile("(patient|user|system)/(\\*|[A-Z][A-Za-z]+)\\.(c?r?u?d?s?|read|write|\\*)");

    public static Optional<SmartScope> parse(String scope) {
        Matcher m = SCOPE.matcher(scope);
        if (!m.matches() || m.group(3).isEmpty()) {
            return Optional.empty();
        }
        Context context = Context.valueOf(m.group(1).toUpperCase(java.util.Locale.ROOT));
        String type = m.group(2);
        String permissions = switch (m.group(3)) {
            case "read" -> "rs";
            case "write" -> "cud";
            case "*" -> "cruds";
            default -> m.group(3);
        };
        return Optional.of(new SmartScope(
                context,
                type,
                permissions.indexOf('c') >= 0,
                permissions.indexOf('r') >= 0,
                permissions.indexOf('u') >= 0,
                permissions.indexOf('d') >= 0,
                permissions.indexOf('s') >= 0));
    }

    public boolean allTypes() {
        return ALL_TYPES.equals(resourceType);
    }

    /** The scope as a token carries it, in the v2 form ({@code system/*.rs}). */
    public String text() {
        return context.name().toLowerCase(java.util.Locale.ROOT) + "/" + resourceType + "." + (create ? "c" : "")
                + (read ? "r" : "") + (update ? "u" : "") + (delete ? "d" : "") + (search ? "s" : "");
    }

    public boolean readsOrSearches() {
        return read || search;
    }
}
