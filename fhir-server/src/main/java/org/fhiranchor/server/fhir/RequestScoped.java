package org.fhiranchor.server.fhir;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Values kept in a request's user data for the rest of the request: made on first use, then shared, also by the
 * threads that run a batch's entries (they share its user data). Each key holds one type of value.
 */
public final class RequestScoped {

    private RequestScoped() {}

    /** The value under {@code key}, made by {@code make} and kept if the request has none yet. */
    @SuppressWarnings("unchecked")
    public static <T> T get(RequestDetails request, String key, Supplier<T> make) {
        Object known = request.getUserData().get(key);
        if (known != null) {
            return (T) known;
        }
        return (T) request.getUserData().computeIfAbsent(key, k -> make.get());
    }

    /** A concurrent map under {@code key}, for decisions taken once per request. */
    public static <V> Map<String, V> map(RequestDetails request, String key) {
        return get(request, key, ConcurrentHashMap::new);
    }
}
