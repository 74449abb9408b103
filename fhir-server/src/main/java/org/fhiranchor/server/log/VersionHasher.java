package org.fhiranchor.server.log;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IJsonLikeParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.fhiranchor.anchor.canonical.ContentHash;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Resource;

/**
 * The content hash of a version as the server serves it on {@code GET [type]/[id]/_history/[vid]}
 * in JSON: HAPI's JSON encoding, then canonical JSON (docs/verification.md), then SHA-256.
 */
public final class VersionHasher {

    private final FhirContext fhirContext;

    public VersionHasher(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    public String resourceType(IBaseResource resource) {
        return fhirContext.getResourceType(resource);
    }

    /**
     * The content hash, computed from HAPI's encoding events without writing and re-parsing the JSON text
     * ({@link CanonicalJsonWriter}); equal to {@code ContentHash.of(servedJson(resource))}.
     */
    public byte[] contentHash(IBaseResource resource) {
        return ContentHash.ofCanonical(
                encode(resource, new CanonicalJsonWriter()).canonical().getBytes(StandardCharsets.UTF_8));
    }

    /** What a reader receives, and its content hash. */
    public record Served(String json, byte[] contentHash) {}

    /**
     * The served JSON and its content hash from one HAPI encoding: the hash equals
     * {@code ContentHash.of(json)}, without parsing the text again. The text is HAPI's but for the hex case of
     * rare control-character escapes ({@link CanonicalJsonWriter}), which no JSON reader tells apart.
     */
    public Served served(IBaseResource resource) {
        CanonicalJsonWriter writer = encode(resource, new CanonicalJsonWriter(true));
        return new Served(
                writer.served(), ContentHash.ofCanonical(writer.canonical().getBytes(StandardCharsets.UTF_8)));
    }

    private CanonicalJsonWriter encode(IBaseResource resource, CanonicalJsonWriter writer) {
        servedForm(resource);
        try {
            ((IJsonLikeParser) fhirContext.newJsonParser()).encodeResourceToJsonLikeWriter(resource, writer);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // nothing is written to a stream
        }
        return writer;
    }

    /** The JSON a reader receives. */
    public String servedJson(IBaseResource resource) {
        servedForm(resource);
        return fhirContext.newJsonParser().encodeResourceToString(resource);
    }

    /**
     * A client may send its own meta.lastUpdated, whose precision or zone then differs from what the
     * server later serves for the same instant; re-setting it gives the served form (milliseconds, the
     * JVM's zone, which is UTC).
     */
    private static void servedForm(IBaseResource resource) {
        if (resource instanceof Resource r4 && r4.getMeta().getLastUpdated() != null) {
            // A new element: setLastUpdated(Date) would keep the client's precision and zone.
            r4.getMeta().setLastUpdatedElement(new InstantType(r4.getMeta().getLastUpdated()));
        }
    }
}
