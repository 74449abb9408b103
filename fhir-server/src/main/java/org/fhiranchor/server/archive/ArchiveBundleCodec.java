package org.fhiranchor.server.archive;

import ca.uhn.fhir.context.FhirContext;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.anchor.log.ResourceRef;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.StringType;

/**
 * The plaintext of an archive: a FHIR R4 Bundle of type {@code collection}, one entry per leaf in leaf order
 * (docs/archive.md section 6). Each entry carries the leaf's log data in one complex extension, so the archive alone
 * rebuilds every leaf hash: the content hash is recomputed from the resource, the salt is not derivable.
 */
public final class ArchiveBundleCodec {

    public static final String LEAF_EXTENSION = "https://fhir-anchor.org/fhir/StructureDefinition/log-leaf";
    public static final String IDENTIFIER_SYSTEM = "https://fhir-anchor.org/fhir/archive-range";
    public static final String MEMBER_EXTENSION = "https://fhir-anchor.org/fhir/StructureDefinition/batch-member";

    private final FhirContext fhirContext;

    public ArchiveBundleCodec(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    public byte[] encode(long fromSize, long toSize, List<ArchivedVersion> versions, Date archivedAt) {
        return encode(fromSize, toSize, versions, List.of(), archivedAt);
    }

    /** The archive Bundle: one entry per leaf of the range, in leaf order, then the batch members of its batch records. */
    public byte[] encode(
            long fromSize, long toSize, List<ArchivedVersion> versions, List<ArchivedMember> members, Date archivedAt) {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try {
            encodeTo(json, fromSize, toSize, versions, members, archivedAt);
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory stream failed", e);
        }
        return json.toByteArray();
    }

    /**
     * The same Bundle as {@link #encode}, written as UTF-8 JSON to {@code out} while it is encoded, never held as one
     * string; {@code out} is flushed, not closed.
     */
    public void encodeTo(
            OutputStream out,
            long fromSize,
            long toSize,
            List<ArchivedVersion> versions,
            List<ArchivedMember> members,
            Date archivedAt)
            throws IOException {
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 16 * 1024);
        fhirContext
                .newJsonParser()
                .encodeResourceToWriter(bundle(fromSize, toSize, versions, members, archivedAt), writer);
        writer.flush();
    }

    private static Bundle bundle(
            long fromSize, long toSize, List<ArchivedVersion> versions, List<ArchivedMember> members, Date archivedAt) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION).setTimestamp(archivedAt);
        bundle.getIdentifier().setSystem(IDENTIFIER_SYSTEM).setValue(fromSize + "-" + toSize);
        for (ArchivedVersion version : versions) {
            Bundle.BundleEntryComponent entry = bundle.addEntry();
            LeafEntry leaf = version.leaf();
            Extension ext = entry.addExtension().setUrl(LEAF_EXTENSION);
            ext.addExtension("leafIndex", new StringType(Long.toString(version.leafIndex())));
            ext.addExtension("operation", new CodeType(leaf.operation().jsonName()));
            ext.addExtension("reference", new StringType(leaf.ref().toString()));
            ext.addExtension("contentHash", new StringType(HexFormat.of().formatHex(leaf.contentHash())));
            ext.addExtension("salt", new StringType(HexFormat.of().formatHex(leaf.salt())));
            if (leaf.operation() == Operation.DELETE) {
                entry.getRequest()
                        .setMethod(Bundle.HTTPVerb.DELETE)
                        .setUrl(leaf.ref().toString());
            } else {
                entry.setResource(version.resourceOrNull());
            }
        }
        for (ArchivedMember member : members) {
            Bundle.BundleEntryComponent entry = bundle.addEntry();
            LeafEntry leaf = member.leaf();
            Extension ext = entry.addExtension().setUrl(MEMBER_EXTENSION);
            ext.addExtension("batch", new StringType(member.batch().toString()));
            ext.addExtension("batchIndex", new StringType(Integer.toString(member.batchIndex())));
            ext.addExtension("operation", new CodeType(leaf.operation().jsonName()));
            ext.addExtension("reference", new StringType(leaf.ref().toString()));
            ext.addExtension("contentHash", new StringType(HexFormat.of().formatHex(leaf.contentHash())));
            ext.addExtension("salt", new StringType(HexFormat.of().formatHex(leaf.salt())));
            entry.setResource(member.resource());
        }
        return bundle;
    }

    /** The archive's range and versions; throws {@link ArchiveFormatException} on anything unexpected. */
    public Decoded decode(byte[] json) {
        Bundle bundle;
        try {
            bundle = fhirContext.newJsonParser().parseResource(Bundle.class, new String(json, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new ArchiveFormatException("not a FHIR Bundle: " + e.getMessage());
        }
        if (bundle.getType() != Bundle.BundleType.COLLECTION
                || !IDENTIFIER_SYSTEM.equals(bundle.getIdentifier().getSystem())) {
            throw new ArchiveFormatException("not an archive Bundle");
        }
        String[] range = bundle.getIdentifier().getValue().split("-");
        long from = Long.parseLong(range[0]);
        long to = Long.parseLong(range[1]);
        List<ArchivedVersion> versions = new ArrayList<>();
        List<ArchivedMember> members = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Extension member = entry.getExtensionByUrl(MEMBER_EXTENSION);
            if (member != null) {
                if (entry.getResource() == null) {
                    throw new ArchiveFormatException("a batch member without its resource");
                }
                try {
                    members.add(new ArchivedMember(
                            ResourceRef.parse(part(member, "batch")),
                            Integer.parseInt(part(member, "batchIndex")),
                            new LeafEntry(
                                    Operation.fromJsonName(part(member, "operation")),
                                    ResourceRef.parse(part(member, "reference")),
                                    HexFormat.of().parseHex(part(member, "contentHash")),
                                    HexFormat.of().parseHex(part(member, "salt"))),
                            (org.hl7.fhir.r4.model.Resource) entry.getResource()));
                } catch (IllegalArgumentException e) {
                    throw new ArchiveFormatException("a batch member entry is malformed: " + e.getMessage());
                }
                continue;
            }
            Extension ext = entry.getExtensionByUrl(LEAF_EXTENSION);
            if (ext == null) {
                throw new ArchiveFormatException("entry without " + LEAF_EXTENSION);
            }
            long leafIndex = Long.parseLong(part(ext, "leafIndex"));
            Operation operation = Operation.fromJsonName(part(ext, "operation"));
            ResourceRef ref = ResourceRef.parse(part(ext, "reference"));
            byte[] contentHash = HexFormat.of().parseHex(part(ext, "contentHash"));
            byte[] salt = HexFormat.of().parseHex(part(ext, "salt"));
            if ((operation == Operation.DELETE) != (entry.getResource() == null)) {
                throw new ArchiveFormatException(
                        "leaf " + leafIndex + ": a delete has no resource, any other operation one");
            }
            versions.add(new ArchivedVersion(
                    leafIndex, new LeafEntry(operation, ref, contentHash, salt), (org.hl7.fhir.r4.model.Resource)
                            entry.getResource()));
        }
        return new Decoded(from, to, versions, members);
    }

    private static String part(Extension ext, String name) {
        Extension part = ext.getExtensionByUrl(name);
        if (part == null || part.getValue() == null) {
            throw new ArchiveFormatException("leaf extension without " + name);
        }
        return part.getValue().primitiveValue();
    }

    /** A decoded archive Bundle. */
    public record Decoded(long fromSize, long toSize, List<ArchivedVersion> versions, List<ArchivedMember> members) {}
}
