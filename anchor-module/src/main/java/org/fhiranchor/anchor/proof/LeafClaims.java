package org.fhiranchor.anchor.proof;

import java.util.Arrays;
import java.util.Objects;
import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.anchor.log.ResourceRef;

/**
 * What every proof format claims about one leaf entry (docs/verification.md section 4): the version's
 * reference, its operation, content hash and salt, and the leaf hash they hash to. These are claims: a
 * verifier recomputes the content hash and the leaf hash, so only the shape is checked here (32-byte hashes),
 * not that the leaf hash matches.
 */
public record LeafClaims(ResourceRef resource, Operation operation, byte[] contentHash, byte[] salt, byte[] leafHash) {

    public LeafClaims {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(operation, "operation");
        contentHash = AnchorProof.hash32(contentHash, "contentHash");
        salt = AnchorProof.hash32(salt, "salt");
        leafHash = AnchorProof.hash32(leafHash, "leafHash");
    }

    /** The claims of a stored leaf entry, with its leaf hash. */
    public static LeafClaims of(LeafEntry entry) {
        return new LeafClaims(entry.ref(), entry.operation(), entry.contentHash(), entry.salt(), entry.leafHash());
    }

    @Override
    public byte[] leafHash() {
        return leafHash.clone();
    }

    @Override
    public byte[] contentHash() {
        return contentHash.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    /** Equal when every claim is: the hashes compare by content. */
    @Override
    public boolean equals(Object o) {
        return o instanceof LeafClaims other
                && resource.equals(other.resource)
                && operation == other.operation
                && Arrays.equals(contentHash, other.contentHash)
                && Arrays.equals(salt, other.salt)
                && Arrays.equals(leafHash, other.leafHash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(resource, operation, Arrays.hashCode(leafHash));
    }

    @Override
    public String toString() {
        return operation.jsonName() + " " + resource;
    }
}
